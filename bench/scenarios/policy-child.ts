/**
 * Policy evaluation on one JS thread, in a process of its own: the default policy through the
 * engine as the portal runs it (PolicyRegistry.evaluate on the compiled policy, reused), against
 * `decideByDefaultPolicy`, the same policy as a plain function. Facts are realistic and random.
 * The two are measured in alternating slices so drift on a busy machine hits both alike.
 *
 * Env: BENCH_DURATION_S (seconds per side). Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { todayInNorway } from '../../src/shared/calendar-date';
import { addDays } from '../../src/shared/calendar-date';
import { decideByDefaultPolicy } from '../../src/policy/engine/default-policy.baseline';
import type { DeferralFacts } from '../../src/policy/engine/facts';
import { DEFAULT_POLICY_FILE } from '../../src/policy/loading/policy-paths';
import { PolicyRegistry } from '../../src/policy/engine/policy-registry';
import { realisticFacts } from '../data/facts';
import { Random } from '../data/random';

const SLICES = 4;

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_DURATION_S ?? 10);
  const registry = new PolicyRegistry();
  const loaded = registry.replace(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
  if (!loaded.ok) throw new Error('the default policy does not load');
  const random = new Random(99);
  const today = todayInNorway();
  const facts: DeferralFacts[] = Array.from({ length: 8192 }, () =>
    realisticFacts(random, addDays(today, -random.int(0, 30))),
  );

  // Same answers, or the comparison means nothing.
  let disagreements = 0;
  const outcomes: Record<string, number> = {};
  for (const f of facts) {
    const engine = await registry.evaluate(f);
    outcomes[engine.outcome] = (outcomes[engine.outcome] ?? 0) + 1;
    if (engine.outcome !== decideByDefaultPolicy(f).outcome) disagreements++;
  }

  let sink = 0;
  const engineSlice = async (ms: number) => {
    let n = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let k = 0; k < 64; k++) {
        const decision = await registry.evaluate(facts[n++ & 8191]);
        sink += decision.reasons.length;
      }
    }
    return n;
  };
  const baselineSlice = (ms: number) => {
    let n = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let k = 0; k < 1024; k++)
        sink += decideByDefaultPolicy(facts[n++ & 8191]).reasons.length;
    }
    return n;
  };
  await engineSlice(1000);
  baselineSlice(500);

  const slice = (seconds * 1000) / SLICES;
  let engineN = 0;
  let engineMs = 0;
  let baselineN = 0;
  let baselineMs = 0;
  for (let i = 0; i < SLICES; i++) {
    let t = performance.now();
    engineN += await engineSlice(slice);
    engineMs += performance.now() - t;
    t = performance.now();
    baselineN += baselineSlice(slice);
    baselineMs += performance.now() - t;
  }
  const usage = process.resourceUsage();
  console.log(
    JSON.stringify({
      engine: {
        evaluations: engineN,
        seconds: engineMs / 1000,
        perSecond: engineN / (engineMs / 1000),
      },
      baseline: {
        evaluations: baselineN,
        seconds: baselineMs / 1000,
        perSecond: baselineN / (baselineMs / 1000),
      },
      facts: facts.length,
      outcomes,
      disagreements,
      cpuUserS: usage.userCPUTime / 1e6,
      cpuSystemS: usage.systemCPUTime / 1e6,
      sink: sink > 0,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
