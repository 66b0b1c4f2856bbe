import type { BenchContext } from '../lib/context';
import { restartPortal } from '../lib/lifecycle';
import { fmt, scenario, settle, type ScenarioResult } from '../lib/results';

const MB = 1024 * 1024;

/** Restarts the portal until there are `samples` spawn-to-ready times (earlier starts count). */
export async function collectStartups(ctx: BenchContext, samples: number): Promise<void> {
  while (ctx.startups.length < samples)
    await restartPortal(ctx, `portal-startup-${ctx.startups.length + 1}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** Start-up (spawn → first 200 from /health/ready) and the largest RSS seen under load. */
export function startupScenario(ctx: BenchContext): ScenarioResult {
  const result = scenario(
    'startup',
    'Start-up to ready; resident memory under load',
    'ms to ready',
  );
  const times = ctx.startups.map((s) => s.ms);
  const startup = times.length ? median(times) : null;
  const loads = ctx.memory.filter((m) => m.bytes > 0);
  const rssMB = loads.length ? Math.round(Math.max(...loads.map((m) => m.bytes)) / MB) : null;
  result.portal = startup;
  result.runs = times.length;
  result.details = {
    startupMs: {
      median: startup,
      max: times.length ? Math.max(...times) : null,
      samples: ctx.startups,
    },
    maxRssMB: rssMB,
    rssPerLoadMB: Object.fromEntries(loads.map((m) => [m.label, Math.round(m.bytes / MB)])),
  };
  result.targets = [
    {
      text: 'start-up ≤ 3 s (median)',
      pass: startup === null ? null : startup <= 3000,
      measured:
        startup === null
          ? '—'
          : `${fmt(startup)} ms (max ${fmt(Math.max(...times))} ms, ${times.length} starts)`,
    },
    {
      text: 'RSS ≤ 300 MB under load',
      pass: rssMB === null ? null : rssMB <= 300,
      measured: rssMB === null ? 'not measured (no load scenario ran)' : `${rssMB} MB`,
    },
  ];
  if (times.length === 0) result.error = 'the portal was never started';
  return settle(result);
}
