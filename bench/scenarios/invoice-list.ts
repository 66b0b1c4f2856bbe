import type { BenchContext } from '../lib/context';
import { restartPortal, startBaseline, stopPortal } from '../lib/lifecycle';
import { bestRun, cpuText, p99Of, runLoad, type LoadRun } from '../lib/loadgen';
import { proxyHeaders, type ResidentSession } from '../lib/login';
import { fmt, ratio, scenario, settle, type ScenarioResult } from '../lib/results';

const FIXED_RATE = 500;

function rotating(sessions: readonly ResidentSession[]) {
  let i = 0;
  return () => {
    const session = sessions[i++ % sessions.length];
    return {
      method: 'GET' as const,
      path: '/fakturaer',
      headers: { ...proxyHeaders(session), cookie: session.cookie, accept: 'text/html' },
    };
  };
}

const ok = (status: number) => status === 200;

async function phases(
  ctx: BenchContext,
  url: string,
  serverPid: number,
  label: string,
): Promise<LoadRun[]> {
  const D = ctx.options.durationS;
  const warm = await runLoad({
    name: `${label} warm-up`,
    url,
    connections: 8,
    durationS: 2,
    next: rotating(ctx.sessions),
    ok,
  });
  if (warm.errors > 0)
    throw new Error(
      `${label}: warm-up had ${warm.errors} errors ${JSON.stringify(warm.errorDetail)}`,
    );
  const fixed = await runLoad({
    name: `${label} ${FIXED_RATE}/s paced`,
    url,
    connections: 20,
    durationS: D,
    rate: FIXED_RATE,
    waitsFrom: ctx.db?.url,
    serverPid,
    next: rotating(ctx.sessions),
    ok,
  });
  ctx.log(
    `${label} ${FIXED_RATE}/s paced: ${fmt(fixed.throughput)}/s, p99 ${fixed.latencyMs.p99} ms, errors ${fixed.errors}${cpuText(fixed)}`,
  );
  const max = await runLoad({
    name: `${label} max`,
    url,
    connections: ctx.options.connections,
    waitsFrom: ctx.db?.url,
    serverPid,
    durationS: D,
    next: rotating(ctx.sessions),
    ok,
  });
  ctx.log(
    `${label} max: ${fmt(max.throughput)}/s, p99 ${max.latencyMs.p99} ms, errors ${max.errors}${cpuText(max)}`,
  );
  return [fixed, max];
}

/** The same resident's page from both servers, CSRF tokens aside: the baseline must render what the portal renders. */
async function compareHtml(
  portalUrl: string,
  baselineUrl: string,
  sessions: readonly ResidentSession[],
): Promise<{ same: boolean; checked: number; firstDifference?: string }> {
  const normalize = (html: string) =>
    html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
  const sample = sessions.slice(0, 5);
  for (const session of sample) {
    const get = async (base: string) => {
      const response = await fetch(`${base}/fakturaer`, {
        headers: { ...proxyHeaders(session), cookie: session.cookie, accept: 'text/html' },
      });
      return normalize(await response.text());
    };
    const [a, b] = [await get(portalUrl), await get(baselineUrl)];
    if (a !== b) {
      let at = 0;
      while (at < a.length && a[at] === b[at]) at++;
      return {
        same: false,
        checked: sample.length,
        firstDifference: `portal: …${a.slice(Math.max(0, at - 60), at + 60)}… baseline: …${b.slice(Math.max(0, at - 60), at + 60)}…`,
      };
    }
  }
  return { same: true, checked: sample.length };
}

/**
 * Baseline and portal run side by side (the idle one costs nothing) and are measured in turns,
 * `rounds` times each, so a burst of other work on the machine hits both alike; each side's figure
 * is its best round.
 */
export async function invoiceListScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'list',
    'Invoice list page (GET /fakturaer) for logged-in residents',
    'pages/s',
  );
  const load = { portal: [] as LoadRun[], baseline: [] as LoadRun[] };
  const rounds = ctx.options.rounds;
  result.load = load;
  result.runs = rounds;
  result.details.residentsRotated = ctx.sessions.length;
  try {
    await stopPortal(ctx);
    const baseline = await startBaseline(
      ctx,
      'bench/baselines/invoice-list-server.js',
      'list-baseline',
    );
    try {
      const portal = await restartPortal(ctx, 'portal-list', { profile: ctx.options.cpuProfile });
      result.details.html = await compareHtml(portal.url, baseline.url, ctx.sessions);
      ctx.rss.watch('list-baseline', baseline.child.pid);
      ctx.rss.watch('portal-list', portal.child.pid);
      try {
        for (let round = 1; round <= rounds; round++) {
          load.baseline.push(
            ...(await phases(
              ctx,
              baseline.url,
              baseline.child.pid,
              `baseline${rounds > 1 ? ` #${round}` : ''}`,
            )),
          );
          load.portal.push(
            ...(await phases(
              ctx,
              portal.url,
              portal.child.pid,
              `portal${rounds > 1 ? ` #${round}` : ''}`,
            )),
          );
        }
      } finally {
        ctx.memory.push({ label: 'list', bytes: ctx.rss.maxBytes('portal-list') ?? 0 });
        result.details.baselineRssMB = Math.round((ctx.rss.maxBytes('list-baseline') ?? 0) / 1e6);
        ctx.rss.unwatch('portal-list');
        ctx.rss.unwatch('list-baseline');
      }
    } finally {
      await baseline.child.stop();
    }
    const html = result.details.html as { same: boolean; firstDifference?: string };
    if (!html.same)
      result.notes.push(`the baseline's HTML differs from the portal's: ${html.firstDifference}`);
  } catch (error) {
    result.error = (error as Error).message;
  }
  const failed = [...load.portal, ...load.baseline].filter((run) => run.errors > 0);
  if (failed.length > 0 && !result.error)
    result.error = `errors in ${failed.map((r) => `${r.name} (${JSON.stringify(r.errorDetail)})`).join(', ')}`;
  const good = !result.error;
  const pMax = bestRun(load.portal, 'max');
  const bMax = bestRun(load.baseline, 'max');
  const pFixed = bestRun(load.portal, 'fixed');
  result.portal = good && pMax ? pMax.throughput : null;
  result.baseline = good && bMax ? bMax.throughput : null;
  result.ratio = ratio(result.portal, result.baseline);
  const p99 = good && pFixed ? p99Of(pFixed) : null;
  result.details.portalFixedP99Ms = p99;
  result.cpuMsPerRequest = {
    portal: good ? pMax?.cpuMsPerRequest : undefined,
    baseline: good ? bMax?.cpuMsPerRequest : undefined,
  };
  result.targets = [
    {
      text: '≥ 60% of the baseline',
      pass: result.ratio === null ? null : result.ratio >= 0.6,
      measured: result.ratio === null ? '—' : `${Math.round(result.ratio * 100)}%`,
    },
    {
      text: `p99 ≤ 50 ms at ${fmt(FIXED_RATE)}/s`,
      pass: p99 === null ? null : p99 <= 50 && (pFixed?.throughput ?? 0) >= FIXED_RATE * 0.95,
      measured: p99 === null ? '—' : `${p99} ms at ${fmt(pFixed?.throughput)}/s`,
    },
  ];
  return settle(result);
}
