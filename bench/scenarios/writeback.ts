import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../src/shared/calendar-date';
import type { BenchContext } from '../lib/context';
import { connect, CopyWriter } from '../lib/database';
import { PgWaitSampler } from '../lib/pg-waits';
import { restartPortal, waitForOutbox } from '../lib/lifecycle';
import { startPortal } from '../lib/portal';
import { startNode } from '../lib/processes';
import { fmt, scenario, settle, type ScenarioResult } from '../lib/results';

interface AdminState {
  idempotencyKeys: {
    idempotencyKey: string;
    invoiceId: string;
    outcome: string;
    requests: number;
  }[];
  appliedPerInvoice: Record<string, number>;
  requests: Record<string, number>;
}

/**
 * N approved jobs appear in the outbox at once (one committed COPY, as N decisions would leave
 * them); two portal processes' write-back workers drain them to the finance-system server over
 * HTTP. Rate = N / (last job recorded − commit). Exactly-once is checked on the server's books.
 */
export async function writebackScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'writeback',
    `Write-back drain: ${fmt(ctx.options.writebackJobs)} approved jobs, two workers, to the finance-system server`,
    'jobs/s',
  );
  const { db, dataset } = ctx;
  if (!db || !dataset || !ctx.portalSettings)
    throw new Error('the write-back drain needs the database');
  const ledgerFile = join(tmpdir(), `mf-bench-ledger-${process.pid}.json`);
  writeFileSync(
    ledgerFile,
    JSON.stringify(
      dataset.drainLedger.map((entry) => ({
        municipality: 'elvdal',
        pid: entry.pid,
        name: entry.name,
        invoices: entry.invoices,
        paymentEvents: entry.paymentEvents,
      })),
    ),
  );
  const apiKey = ctx.portalSettings.financeApiKey;
  const finance = startNode('finance-server', 'bench/servers/finance-server.js', {
    PORT: String(ctx.financePort),
    FINANCE_API_KEY: apiKey,
    FINANCE_TODAY: dataset.today,
    LEDGER_FILE: ledgerFile,
    NODE_ENV: 'production',
  });
  const financeUrl = `http://127.0.0.1:${ctx.financePort}`;
  try {
    await finance.waitForLine(/finance server ready/, 60_000);
    const first =
      ctx.portal ??
      (await restartPortal(ctx, 'portal-writeback', { profile: ctx.options.cpuProfile }));
    await waitForOutbox(ctx, dataset.mainId, 300_000);
    const second = await startPortal('portal-writeback-2', ctx.portalSettings, {
      cpuProfileDir: ctx.options.cpuProfile ? ctx.cpuProfileDir : undefined,
    });
    ctx.startups.push({ label: 'portal-writeback-2', ms: second.startupMs });
    ctx.rss.watch('writeback-1', first.child.pid);
    ctx.rss.watch('writeback-2', second.child.pid);
    try {
      const jobs = dataset.drainLedger.map((entry) => {
        const invoice = entry.invoices[0];
        const requestId = randomUUID();
        return {
          id: randomUUID(),
          requestId,
          invoiceId: invoice.id,
          pid: entry.pid,
          newDueDate: addDays(invoice.dueDate, 14),
          key: `deferral-${requestId}`,
        };
      });
      const client = await connect(db.url);
      let committed: number;
      try {
        const writer = new CopyWriter(client, 'writeback_jobs', [
          'id',
          'municipality_id',
          'deferral_request_id',
          'invoice_id',
          'pid',
          'new_due_date',
          'reason',
          'idempotency_key',
          'status',
          'attempts',
          'next_attempt_at',
          'created_at',
        ]);
        const now = new Date().toISOString();
        for (const job of jobs)
          await writer.add([
            job.id,
            dataset.drainId,
            job.requestId,
            job.invoiceId,
            job.pid,
            job.newDueDate,
            `Betalingsutsettelse ${job.requestId.slice(0, 8)}`,
            job.key,
            'pending',
            0,
            now,
            now,
          ]);
        // The COPY is one statement and commits whole: every job becomes visible at once.
        await writer.end();
        committed = performance.now();
        const waits = await PgWaitSampler.start(db.url);
        let finished = 0;
        let counts: Record<string, number> = {};
        const deadline = committed + Math.max(180_000, jobs.length * 20);
        while (finished < jobs.length) {
          if (performance.now() > deadline)
            throw new Error(`write-back drain did not finish: ${JSON.stringify(counts)}`);
          if (!first.child.alive || !second.child.alive)
            throw new Error(
              `a portal died during the drain:\n${first.child.tail()}\n${second.child.tail()}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 50));
          const { rows } = await client.query<{ status: string; n: string }>(
            'select status, count(*) as n from writeback_jobs where municipality_id = $1 group by status',
            [dataset.drainId],
          );
          counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
          finished = (counts.done ?? 0) + (counts.failed ?? 0);
        }
        const seconds = (performance.now() - committed) / 1000;
        const { waits: pgWaits } = await waits.stop();
        const spread = await client.query<{ first: Date; last: Date; attempts: string }>(
          'select min(completed_at) as first, max(completed_at) as last, sum(attempts) as attempts from writeback_jobs where municipality_id = $1',
          [dataset.drainId],
        );
        const audited = await client.query<{ n: string }>(
          "select count(*) as n from audit_entries where municipality_id = $1 and type = 'writeback.succeeded'",
          [dataset.drainId],
        );
        const state = (await (
          await fetch(`${financeUrl}/admin/state`, {
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).json()) as AdminState;
        const applied = Object.values(state.appliedPerInvoice);
        const duplicates = applied.filter((n) => n > 1).length;
        const replayedKeys = state.idempotencyKeys.filter((k) => k.requests > 1).length;
        const s = spread.rows[0];
        result.portal = Number((jobs.length / seconds).toFixed(1));
        result.details = {
          jobs: jobs.length,
          done: counts.done ?? 0,
          failed: counts.failed ?? 0,
          seconds: Number(seconds.toFixed(2)),
          firstToLastCompletionS:
            s.first && s.last
              ? Number(((s.last.getTime() - s.first.getTime()) / 1000).toFixed(2))
              : null,
          attempts: Number(s.attempts),
          appliedChanges: applied.reduce((a, b) => a + b, 0),
          invoicesAppliedMoreThanOnce: duplicates,
          keysRequestedMoreThanOnce: replayedKeys,
          financeRequests: state.requests,
          auditEntriesWritten: Number(audited.rows[0].n),
          workers: 2,
          pollMs: 500,
          pgWaits,
        };
        ctx.log(
          `write-back: ${jobs.length} jobs in ${seconds.toFixed(1)} s = ${fmt(result.portal)}/s, ${duplicates} applied twice, ${counts.failed ?? 0} failed`,
        );
        result.targets = [
          { text: '≥ 500 jobs/s', pass: result.portal >= 500, measured: `${fmt(result.portal)}/s` },
          {
            text: 'zero duplicates, every job done',
            pass:
              duplicates === 0 &&
              (counts.done ?? 0) === jobs.length &&
              applied.length === jobs.length,
            measured: `${duplicates} duplicates, ${counts.done ?? 0}/${jobs.length} done`,
          },
        ];
      } finally {
        await client.end();
      }
    } finally {
      ctx.memory.push({
        label: 'writeback',
        bytes: Math.max(ctx.rss.maxBytes('writeback-1') ?? 0, ctx.rss.maxBytes('writeback-2') ?? 0),
      });
      ctx.rss.unwatch('writeback-1');
      ctx.rss.unwatch('writeback-2');
      await second.child.stop();
    }
  } catch (error) {
    result.error = (error as Error).message;
    result.targets = [
      { text: '≥ 500 jobs/s', pass: null },
      { text: 'zero duplicates, every job done', pass: null },
    ];
  } finally {
    await finance.stop();
    rmSync(ledgerFile, { force: true });
  }
  return settle(result);
}
