import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY_FILE } from '../../src/policy/loading/policy-paths';
import type { BenchContext } from '../lib/context';
import { stopPortal } from '../lib/lifecycle';
import { bestRun, cpuText, p99Of, runLoad, type LoadRun } from '../lib/loadgen';
import { proxyHeaders, type ResidentSession } from '../lib/login';
import { freePort, portalEnv, portalNodeArgs } from '../lib/portal';
import { type Child, startNode, waitForOk } from '../lib/processes';
import { fmt, scenario, settle, type ScenarioResult } from '../lib/results';

/** Residents' invoice pages per second while simulations run: a busy municipality's daytime. */
const LIST_RATE = 200;
const TARGET_S = 10;
/**
 * "Does not slow residents' pages": the list's p99 during simulations against the same load
 * without one, best round each (bench convention). Relative, because on this shared 2-core VM the
 * list's p99 at 200/s is above its own 30 ms target even with no simulation.
 */
const LIST_P99_MAX_RATIO = 1.5;
/** The draft: the default policy with its amount limit halved (10 000 kr → 5 000 kr). */
const DRAFT_AMOUNT_LIMIT_ORE = 500_000;

interface Simulated {
  /** Start to done as the service measured it. */
  serviceMs: number;
  /** POST to the poll that saw it done, as the bench saw it. */
  wallMs: number;
  total: number;
  changed: number;
  status: Record<string, unknown>;
}

function draftText(): string {
  const json = JSON.parse(readFileSync(DEFAULT_POLICY_FILE, 'utf8')) as {
    parameters: { maxAmountOre: { value: number } };
  };
  json.parameters.maxAmountOre.value = DRAFT_AMOUNT_LIMIT_ORE;
  return JSON.stringify(json);
}

async function simulate(
  control: string,
  municipalityId: string,
  draft: string,
): Promise<Simulated> {
  const started = performance.now();
  const response = await fetch(`${control}/simulations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ municipalityId, draftText: draft }),
  });
  const job = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`simulation refused: ${JSON.stringify(job)}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const status = (await (
      await fetch(`${control}/simulations/${municipalityId}/${job.id}`)
    ).json()) as {
      state: string;
      error?: string;
      durationMs?: number;
      total?: number;
      result?: { changed: { count: number } };
    };
    if (status.state === 'failed') throw new Error(`simulation failed: ${status.error}`);
    if (status.state === 'done')
      return {
        serviceMs: status.durationMs!,
        wallMs: Math.round(performance.now() - started),
        total: status.total!,
        changed: status.result!.changed.count,
        status,
      };
  }
}

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

async function listLoad(ctx: BenchContext, url: string, child: Child, name: string) {
  return runLoad({
    name,
    url,
    connections: 20,
    durationS: ctx.options.durationS,
    rate: LIST_RATE,
    serverPid: child.pid,
    next: rotating(ctx.sessions),
    ok: (status) => status === 200,
  });
}

/**
 * The portal (the real `bootstrap`, plus a loopback control port: bench/servers/portal-simulation)
 * simulates a draft over the loaded past requests through its own SimulationService: once alone
 * (the ≤ 10 s target), and back to back while residents load the invoice list at a fixed rate,
 * against the same load without a simulation, in alternating rounds.
 */
export async function simulationScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'simulation',
    `Policy simulation over the past requests; invoice list p99 at ${LIST_RATE}/s during it`,
    's',
  );
  const load = { portal: [] as LoadRun[], baseline: [] as LoadRun[] };
  result.load = load;
  const alone: Simulated[] = [];
  const during: Simulated[] = [];
  try {
    if (!ctx.portalSettings || !ctx.dataset) throw new Error('needs the loaded database');
    await stopPortal(ctx);
    const port = ctx.portalPort || (await freePort());
    const controlPort = await freePort();
    const child = startNode(
      'portal-simulation',
      'bench/servers/portal-simulation.js',
      {
        ...portalEnv(ctx.portalSettings, port),
        CONTROL_PORT: String(controlPort),
        ...(process.env.BENCH_SIMULATION_BATCH_SIZE
          ? { SIMULATION_BATCH_SIZE: process.env.BENCH_SIMULATION_BATCH_SIZE }
          : {}),
      },
      portalNodeArgs(),
    );
    const url = `http://127.0.0.1:${port}`;
    const control = `http://127.0.0.1:${controlPort}`;
    const municipalityId = ctx.dataset.mainId;
    const draft = draftText();
    try {
      await waitForOk(`${url}/health/ready`, { timeoutMs: 60_000, child, intervalMs: 10 });
      await child.waitForLine(/simulation control listening/, 10_000);
      ctx.rss.watch('portal-simulation', child.pid);
      await runLoad({
        name: 'list warm-up',
        url,
        connections: 8,
        durationS: 2,
        next: rotating(ctx.sessions),
        ok: (status) => status === 200,
      });
      // The first also warms the worker's code and PostgreSQL's cache of the table.
      for (let i = 0; i < 2; i++) {
        alone.push(await simulate(control, municipalityId, draft));
        ctx.log(
          `simulation alone: ${alone[i].total} past requests in ${alone[i].serviceMs} ms, ${alone[i].changed} change outcome`,
        );
      }
      for (let round = 1; round <= ctx.options.rounds; round++) {
        const quiet = await listLoad(ctx, url, child, `list ${LIST_RATE}/s paced #${round}`);
        load.baseline.push(quiet);
        ctx.log(
          `list ${LIST_RATE}/s paced without simulation: p99 ${p99Of(quiet)} ms${cpuText(quiet)}`,
        );
        let running = true;
        const loop = (async () => {
          while (running) during.push(await simulate(control, municipalityId, draft));
        })();
        const busy = await listLoad(
          ctx,
          url,
          child,
          `list ${LIST_RATE}/s paced during simulations #${round}`,
        );
        running = false;
        await loop;
        load.portal.push(busy);
        ctx.log(
          `list ${LIST_RATE}/s paced during simulations: p99 ${p99Of(busy)} ms${cpuText(busy)}; simulations ${during.map((s) => s.serviceMs).join(', ')} ms`,
        );
      }
    } finally {
      result.details.portalMaxRssMB = Math.round(
        (ctx.rss.maxBytes('portal-simulation') ?? 0) / 1e6,
      );
      ctx.rss.unwatch('portal-simulation');
      await child.stop();
    }
  } catch (error) {
    result.error = (error as Error).message;
  }
  const failed = [...load.portal, ...load.baseline].filter((run) => run.errors > 0);
  if (failed.length > 0 && !result.error)
    result.error = `errors in ${failed.map((r) => `${r.name} (${JSON.stringify(r.errorDetail)})`).join(', ')}`;
  const good = !result.error;
  const all = [...alone, ...during];
  const slowest = all.length > 0 ? Math.max(...all.map((s) => s.serviceMs)) : null;
  const total = all[0]?.total ?? 0;
  const busy = bestRun(load.portal, 'fixed');
  const quiet = bestRun(load.baseline, 'fixed');
  result.portal = good && alone.length ? Number((alone.at(-1)!.serviceMs / 1000).toFixed(2)) : null;
  result.details = {
    ...result.details,
    draft: `default policy, maxAmountOre ${DRAFT_AMOUNT_LIMIT_ORE}`,
    pastRequests: total,
    aloneMs: alone.map((s) => s.serviceMs),
    aloneWallMs: alone.map((s) => s.wallMs),
    duringLoadMs: during.map((s) => s.serviceMs),
    listP99QuietMs: load.baseline.map(p99Of),
    listP99DuringMs: load.portal.map(p99Of),
    lastResult: all.at(-1)?.status,
  };
  result.runs = all.length;
  result.targets = [
    {
      text: `${fmt(total)} past requests simulated in ≤ ${TARGET_S} s (slowest run, alone or under load)`,
      pass: good && slowest !== null ? slowest <= TARGET_S * 1000 && total >= 100_000 : null,
      measured: slowest === null ? '—' : `${fmt(slowest / 1000, 2)} s`,
    },
    {
      text: `invoice list p99 at ${LIST_RATE}/s while simulations run ≤ ${LIST_P99_MAX_RATIO} × without`,
      pass: good && busy && quiet ? p99Of(busy) <= LIST_P99_MAX_RATIO * p99Of(quiet) : null,
      measured:
        busy && quiet
          ? `${p99Of(busy)} ms during, ${p99Of(quiet)} ms without (×${fmt(p99Of(busy) / p99Of(quiet), 2)}); rounds: ${load.portal.map(p99Of).join(', ')} / ${load.baseline.map(p99Of).join(', ')} ms`
          : '—',
    },
  ];
  return settle(result);
}
