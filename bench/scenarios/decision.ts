import { bankingDayOnOrAfter, bankingDayOnOrBefore } from '../../src/shared/banking-days';
import { addDays } from '../../src/shared/calendar-date';
import { Random } from '../data/random';
import type { BenchContext } from '../lib/context';
import { connect } from '../lib/database';
import { restartPortal, startBaseline, stopPortal, waitForOutbox } from '../lib/lifecycle';
import { bestRun, cpuText, p99Of, runLoad, type HttpRequest, type LoadRun } from '../lib/loadgen';
import { proxyHeaders, type ResidentSession } from '../lib/login';
import { fmt, ratio, scenario, settle, type ScenarioResult } from '../lib/results';

interface PoolItem {
  session: ResidentSession;
  invoiceId: string;
  newDueDate: string;
}

const WARM_UP = 300;
const FIXED_RATE = 300;
/** The tables a decision writes: vacuumed after each run's rows are deleted. */
const WRITTEN_TABLES = [
  'deferral_requests',
  'writeback_jobs',
  'audit_entries',
  'receipt_mail_jobs',
];

/** Every logged-in resident's deferrable invoices, shuffled, each with a date inside the form's window. */
function buildPool(ctx: BenchContext): PoolItem[] {
  const random = new Random(42);
  const pool: PoolItem[] = [];
  for (const session of ctx.sessions) {
    for (const invoice of ctx.dataset?.eligible.get(session.pid) ?? []) {
      // Most ask for one to four weeks; the form offers the banking days of up to the policy's
      // 30 days, and refuses any other day.
      const wanted = bankingDayOnOrAfter(addDays(invoice.dueDate, random.int(7, 30)));
      const newDueDate =
        wanted < invoice.earliest
          ? bankingDayOnOrAfter(invoice.earliest)
          : wanted > invoice.latest
            ? bankingDayOnOrBefore(invoice.latest)
            : wanted;
      pool.push({ session, invoiceId: invoice.invoiceId, newDueDate });
    }
  }
  return random.shuffle(pool);
}

function request(item: PoolItem): HttpRequest {
  return {
    method: 'POST',
    path: `/fakturaer/${encodeURIComponent(item.invoiceId)}/utsettelse`,
    headers: {
      ...proxyHeaders(item.session),
      cookie: item.session.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      _csrf: item.session.csrfToken,
      newDueDate: item.newDueDate,
      email: '',
    }).toString(),
  };
}

const decided = (status: number, headers: Record<string, string | string[]>) =>
  status === 303 && String(headers.location ?? '').startsWith('/saker/UTS-');

/**
 * Warm-up, then 300/s paced for latency, then maximum rate for throughput, each POST on an invoice no
 * earlier POST of the run touched (one decision per invoice and due date). Before each run the
 * rows of the one before are deleted (`reset`) and the run starts at the top of the pool again, so
 * every run, baseline or portal, decides on the same invoices in the same state; the max-rate run
 * gets the whole pool. `keepLast` leaves the max-rate run's rows in place.
 */
async function phases(
  ctx: BenchContext,
  url: string,
  serverPid: number,
  pool: PoolItem[],
  label: string,
  reset: () => Promise<void>,
  keepLast: boolean,
): Promise<{ runs: LoadRun[]; used: number }> {
  let cursor = 0;
  let used = 0;
  const take = () => pool[cursor++];
  const next = async () => {
    used = Math.max(used, cursor);
    await reset();
    cursor = 0;
  };
  const runs: LoadRun[] = [];
  const D = ctx.options.durationS;
  const warm = await runLoad({
    name: `${label} warm-up`,
    url,
    connections: 8,
    durationS: 30,
    available: Math.min(WARM_UP, pool.length),
    next: () => request(take()),
    ok: decided,
  });
  if (warm.errors > 0)
    throw new Error(
      `${label}: warm-up had ${warm.errors} errors ${JSON.stringify(warm.errorDetail)}`,
    );
  await next();
  runs.push(
    await runLoad({
      name: `${label} ${FIXED_RATE}/s paced`,
      url,
      connections: 10,
      durationS: D,
      rate: FIXED_RATE,
      waitsFrom: ctx.db?.url,
      serverPid,
      available: pool.length - cursor,
      next: () => request(take()),
      ok: decided,
    }),
  );
  ctx.log(
    `${label} ${FIXED_RATE}/s paced: ${fmt(runs[0].throughput)}/s, p99 ${runs[0].latencyMs.p99} ms, errors ${runs[0].errors}${cpuText(runs[0])}`,
  );
  await next();
  runs.push(
    await runLoad({
      name: `${label} max`,
      url,
      connections: ctx.options.connections,
      waitsFrom: ctx.db?.url,
      serverPid,
      durationS: D,
      available: pool.length - cursor,
      next: () => request(take()),
      ok: decided,
    }),
  );
  ctx.log(
    `${label} max: ${fmt(runs[1].throughput)}/s over ${runs[1].elapsedS} s, p99 ${runs[1].latencyMs.p99} ms, errors ${runs[1].errors}${runs[1].exhausted ? ' (invoices ran out)' : ''}${cpuText(runs[1])}`,
  );
  used = Math.max(used, cursor);
  if (!keepLast) await next();
  return { runs, used };
}

async function outcomes(ctx: BenchContext, since: Date): Promise<Record<string, number>> {
  const client = await connect(ctx.db!.url);
  try {
    const { rows } = await client.query<{ outcome: string; n: string }>(
      'select outcome, count(*) as n from deferral_requests where municipality_id = $1 and created_at >= $2 group by outcome',
      [ctx.dataset!.mainId, since],
    );
    return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/**
 * A run's rows go, so the next run decides on the same invoices; audit entries stay
 * (append-only). autocannon stops sending when a run ends, but requests already in the server
 * still commit: wait until the count stops moving first, or a late approval's write-back job
 * would survive and a portal's worker would defer that invoice behind the bench's back.
 * Then the written tables are vacuumed and analyzed: autovacuum may be off (it is on the shared
 * bench machine), and without it every later run paid for the dead rows of the runs before
 * (index entries to skip, pages to prune), so rounds were not alike.
 */
async function removeRowsSince(
  ctx: BenchContext,
  since: Date,
  beforeDelete: () => Promise<void>,
): Promise<void> {
  const client = await connect(ctx.db!.url);
  try {
    let last = -1;
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from deferral_requests where municipality_id = $1 and created_at >= $2',
        [ctx.dataset!.mainId, since],
      );
      if (Number(rows[0].n) === last) break;
      last = Number(rows[0].n);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await beforeDelete();
    await client.query(
      'delete from writeback_jobs where municipality_id = $1 and created_at >= $2',
      [ctx.dataset!.mainId, since],
    );
    await client.query(
      'delete from deferral_requests where municipality_id = $1 and created_at >= $2',
      [ctx.dataset!.mainId, since],
    );
    await client.query(`vacuum (analyze) ${WRITTEN_TABLES.join(', ')}`);
  } finally {
    await client.end();
  }
}

export async function decisionScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'decision',
    'Decision: POST a deferral (session, CSRF, invoice, policy, one transaction)',
    'decisions/s',
  );
  const pool = buildPool(ctx);
  // Every run starts at the top of the pool; the fixed-rate one needs the most.
  const needed = Math.max(WARM_UP, FIXED_RATE * ctx.options.durationS);
  result.details.invoicePool = pool.length;
  result.details.residentsLoggedIn = ctx.sessions.length;
  if (pool.length < needed + 1000) {
    result.error = `only ${pool.length} deferrable invoices for ${ctx.sessions.length} logged-in residents; ${needed + 1000} or more are needed: raise BENCH_LOGINS`;
    result.targets = [{ text: '≥ 60% of the baseline', pass: null }];
    return settle(result);
  }
  const load = { portal: [] as LoadRun[], baseline: [] as LoadRun[] };
  result.load = load;
  try {
    // Baseline and portal take turns, `rounds` times each, so a burst of other work on the
    // machine hits both alike; each side's figure is its best round. Every run starts from the
    // same state: the rows of the run before are deleted first.
    const rounds = ctx.options.rounds;
    result.runs = rounds;
    const counted = {
      baseline: {} as Record<string, number>,
      portal: {} as Record<string, number>,
    };
    const resetter = (side: 'baseline' | 'portal', since: Date) => () =>
      removeRowsSince(ctx, since, async () => {
        for (const [outcome, n] of Object.entries(await outcomes(ctx, since)))
          counted[side][outcome] = (counted[side][outcome] ?? 0) + n;
      });
    for (let round = 1; round <= rounds; round++) {
      const suffix = rounds > 1 ? ` #${round}` : '';
      // The baseline with the portal stopped: nothing else on the machine's two cores.
      await stopPortal(ctx);
      const baselineReset = resetter('baseline', new Date(Date.now() - 1000));
      const baseline = await startBaseline(
        ctx,
        'bench/baselines/decision-server.js',
        'decision-baseline',
      );
      ctx.rss.watch('decision-baseline', baseline.child.pid);
      try {
        const ran = await phases(
          ctx,
          baseline.url,
          baseline.child.pid,
          pool,
          `baseline${suffix}`,
          baselineReset,
          false,
        );
        load.baseline.push(...ran.runs);
      } finally {
        ctx.rss.unwatch('decision-baseline');
        await baseline.child.stop();
      }
      // Once the process is gone nothing can commit any more: remove any straggler for certain.
      await baselineReset();

      // The portal as an instance that serves residents only (WRITEBACK_WORKER=off): what is
      // measured is the decision path, as for the baseline, which writes nothing back either.
      // The last round's approvals stay, and a portal with the worker on writes them back
      // afterwards (the write-back drain is its own scenario).
      const last = round === rounds;
      const portalSince = new Date(Date.now() - 1000);
      const portalReset = resetter('portal', portalSince);
      const portal = await restartPortal(ctx, `portal-decision${suffix}`, {
        profile: ctx.options.cpuProfile,
        env: { WRITEBACK_WORKER: 'off' },
      });
      ctx.rss.watch('portal-decision', portal.child.pid);
      try {
        const ran = await phases(
          ctx,
          portal.url,
          portal.child.pid,
          pool,
          `portal${suffix}`,
          portalReset,
          last,
        );
        load.portal.push(...ran.runs);
        result.details.invoicesUsed = ran.used;
      } finally {
        ctx.rss.unwatch('portal-decision');
      }
      if (last) {
        for (const [outcome, n] of Object.entries(await outcomes(ctx, portalSince)))
          counted.portal[outcome] = (counted.portal[outcome] ?? 0) + n;
      } else {
        await stopPortal(ctx);
        await portalReset();
      }
    }
    ctx.memory.push({ label: 'decision', bytes: ctx.rss.maxBytes('portal-decision') ?? 0 });
    result.details.baselineOutcomes = counted.baseline;
    result.details.portalOutcomes = counted.portal;
    await restartPortal(ctx, 'portal-decision-writeback', { sample: false });
    const drainMs = await waitForOutbox(ctx, ctx.dataset!.mainId, 300_000);
    result.details.writebackAfterRunsS = Number((drainMs / 1000).toFixed(1));
    ctx.log(`portal: the last run's approvals written back in ${(drainMs / 1000).toFixed(1)} s`);
    result.details.baselineRssMB = Math.round((ctx.rss.maxBytes('decision-baseline') ?? 0) / 1e6);
  } catch (error) {
    result.error = (error as Error).message;
  }
  return judge(result, load);
}

function judge(
  result: ScenarioResult,
  load: { portal: LoadRun[]; baseline: LoadRun[] },
): ScenarioResult {
  const pFixed = bestRun(load.portal, 'fixed');
  const pMax = bestRun(load.portal, 'max');
  const bFixed = bestRun(load.baseline, 'fixed');
  const bMax = bestRun(load.baseline, 'max');
  const failed = [...load.portal, ...load.baseline].filter((run) => run.errors > 0);
  if (failed.length > 0 && !result.error) {
    result.error = `errors in ${failed.map((r) => `${r.name} (${JSON.stringify(r.errorDetail)})`).join(', ')}: a scenario with errors is a failure, not a figure`;
  }
  const ok = !result.error;
  result.portal = ok && pMax ? pMax.throughput : null;
  result.baseline = ok && bMax ? bMax.throughput : null;
  result.ratio = ratio(result.portal, result.baseline);
  const p99 = ok && pFixed ? p99Of(pFixed) : null;
  result.details.portalFixedP99Ms = p99;
  result.details.baselineFixedP99Ms = ok && bFixed ? p99Of(bFixed) : null;
  // CPU per decision of the runs the rates come from (at max rate, where batches are fullest).
  const pCpu = ok ? pMax?.cpuMsPerRequest : undefined;
  const bCpu = ok ? bMax?.cpuMsPerRequest : undefined;
  result.cpuMsPerRequest = { portal: pCpu, baseline: bCpu };
  result.details.portalFixedCpuMsPerDecision = ok ? pFixed?.cpuMsPerRequest : undefined;
  result.details.baselineFixedCpuMsPerDecision = ok ? bFixed?.cpuMsPerRequest : undefined;
  const pgMs = pCpu?.postgres ?? null;
  const nodeMs = pCpu?.server ?? null;
  result.targets = [
    {
      text: '≥ 60% of the baseline',
      pass: result.ratio === null ? null : result.ratio >= 0.6,
      measured: result.ratio === null ? '—' : `${Math.round(result.ratio * 100)}%`,
    },
    {
      text: 'PostgreSQL CPU ≤ 1.2 ms per decision',
      pass: pgMs === null ? null : pgMs <= 1.2,
      measured: pgMs === null ? '—' : `${pgMs.toFixed(2)} ms`,
    },
    {
      text: 'node CPU ≤ 1.5 ms per decision',
      pass: nodeMs === null ? null : nodeMs <= 1.5,
      measured: nodeMs === null ? '—' : `${nodeMs.toFixed(2)} ms`,
    },
    {
      text: `p99 ≤ 100 ms at ${FIXED_RATE}/s`,
      pass: p99 === null ? null : p99 <= 100 && (pFixed?.throughput ?? 0) >= FIXED_RATE * 0.95,
      measured: p99 === null ? '—' : `${p99} ms at ${fmt(pFixed?.throughput)}/s`,
    },
  ];
  if (pMax?.exhausted || bMax?.exhausted)
    result.notes.push(
      'a max-rate run used up the prepared invoices before its duration ended; its rate is over the time it ran',
    );
  return settle(result);
}
