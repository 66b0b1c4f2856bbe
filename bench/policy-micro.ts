/**
 * Micro benchmark for the deferral policy: evaluations/s of the default policy with the engine
 * reused, sequential and with N evaluations in flight, against the plain TypeScript baseline.
 *
 *   npx tsc --ignoreConfig bench/policy-micro.ts --outDir /tmp/policy-bench --rootDir . \
 *     --module nodenext --target es2023 --strict --skipLibCheck --types node
 *   echo '{"type":"commonjs"}' > /tmp/policy-bench/package.json   # the project root for rules/
 *   ln -s "$PWD/rules" "$PWD/node_modules" /tmp/policy-bench/
 *   npx node /tmp/policy-bench/bench/policy-micro.js [seconds-per-case] [--engine] [--only=text]
 *
 * Node 24 (`npx node`). `--engine` also times json-rules-engine itself (`evaluateWithEngine`);
 * `--only=text` runs only the cases whose name contains the text (handy under --cpu-prof).
 */
import { readFileSync } from 'node:fs';
import { buildFacts } from '../src/policy/engine/build-facts';
import { decideByDefaultPolicy } from '../src/policy/engine/default-policy.baseline';
import type { DeferralFacts } from '../src/policy/engine/facts';
import { DEFAULT_POLICY_FILE } from '../src/policy/loading/policy-paths';
import { evaluateWithEngine } from '../src/policy/engine/policy-evaluator';
import { PolicyRegistry } from '../src/policy/engine/policy-registry';
import { randomFactInput, seededRandom } from '../src/policy/policy.test-factory';

const seconds = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 2);
const withEngine = process.argv.includes('--engine');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const facts: DeferralFacts[] = Array.from({ length: 4096 }, (_, i) =>
  buildFacts(randomFactInput(seededRandom(i + 1))),
);
const registry = new PolicyRegistry();
const loaded = registry.replace(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
if (!loaded.ok) throw new Error('default policy refused');
const compiled = registry.active();

async function measure(
  name: string,
  inFlight: number,
  one: (f: DeferralFacts) => unknown,
): Promise<number> {
  if (only && !name.includes(only)) return 0;
  let i = 0;
  let done = 0;
  const deadline = () => performance.now() >= end;
  let end = performance.now() + seconds * 250; // warm-up
  const worker = async () => {
    while (!deadline()) {
      for (let k = 0; k < 64; k++) {
        await one(facts[i++ & 4095]);
        done++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  done = 0;
  const start = performance.now();
  end = start + seconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, worker));
  const rate = done / ((performance.now() - start) / 1000);
  console.log(`${name.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(10)} /s`);
  return rate;
}

async function main(): Promise<void> {
  await measure('baseline decideByDefaultPolicy (sync)', 1, decideByDefaultPolicy);
  await measure('registry.evaluate, sequential', 1, (f) => registry.evaluate(f));
  await measure('registry.evaluate, 50 in flight', 50, (f) => registry.evaluate(f));
  if (withEngine) {
    await measure('json-rules-engine reference, sequential', 1, (f) =>
      evaluateWithEngine(compiled, f),
    );
    await measure('json-rules-engine reference, 50 in flight', 50, (f) =>
      evaluateWithEngine(compiled, f),
    );
  }
}

void main();
