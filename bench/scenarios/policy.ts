import type { BenchContext } from '../lib/context';
import { runNode } from '../lib/processes';
import { fmt, ratio, scenario, settle, type ScenarioResult } from '../lib/results';

interface PolicyChildResult {
  engine: { evaluations: number; seconds: number; perSecond: number };
  baseline: { evaluations: number; seconds: number; perSecond: number };
  facts: number;
  outcomes: Record<string, number>;
  disagreements: number;
}

export async function policyScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'policy',
    'Policy evaluation, default policy (one JS thread)',
    'evaluations/s',
  );
  try {
    const { output } = await runNode('policy', 'bench/scenarios/policy-child.js', {
      BENCH_DURATION_S: String(ctx.options.durationS),
      NODE_ENV: 'production',
    });
    const line = output
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (!line) throw new Error(`no result from the policy child: ${output.slice(-300)}`);
    const measured = JSON.parse(line) as PolicyChildResult;
    result.portal = Math.round(measured.engine.perSecond);
    result.baseline = Math.round(measured.baseline.perSecond);
    result.ratio = ratio(result.portal, result.baseline);
    result.details = { ...measured };
    if (measured.disagreements > 0)
      result.error = `the engine and decideByDefaultPolicy disagree on ${measured.disagreements} of ${measured.facts} fact sets`;
    ctx.log(`policy: engine ${fmt(result.portal)}/s, plain function ${fmt(result.baseline)}/s`);
  } catch (error) {
    result.error = (error as Error).message;
  }
  result.targets = [
    {
      text: '≥ 20,000 evaluations/s per core',
      pass: result.portal === null || result.error ? null : result.portal >= 20_000,
      measured: `${fmt(result.portal)}/s`,
    },
  ];
  return settle(result);
}
