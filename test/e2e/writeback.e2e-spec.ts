import { randomUUID } from 'node:crypto';
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { LoggerService } from '@nestjs/common';
import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { FinanceSystem } from '../../src/finance/finance-system.port';
import { HttpFinanceSystem } from '../../src/finance/http-finance-system';
import { addDays } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import {
  createWritebackSchema,
  enqueueAll,
  financeAdmin,
  startWritebackNode,
  waitUntilSettled,
  type FinanceAdminState,
  type WritebackNode,
} from '../../src/writeback/testing/writeback-test-node';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import type { EnqueueWriteback } from '../../src/writeback/writeback.service';
import { createMunicipality } from '../support/factories';
import { residentWithStory, syntheticPid } from '../support/resident-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const API_KEY = 'writeback-e2e-finance-key';
const TODAY = '2026-11-23';
const NEW_DUE = addDays(TODAY, 40);
/** An invoice sent to debt collection (the finance system refuses to move it). */
const OLA = syntheticPid(202);
/** Synthetic residents, one open water invoice each; numbers only the finance server knows. */
const RESIDENTS = Array.from({ length: 60 }, (_, i) => ({
  pid: String(41_000_000_000 + i),
  name: `Beboer ${i}`,
  municipality: 'fjordvik' as const,
}));
const story = { today: TODAY, municipality: 'fjordvik', prefix: 'fjordvik' };
const LEDGER = [
  ...RESIDENTS.map((r) => residentWithStory(r.pid, 'plainPayer', { ...story, name: r.name })),
  residentWithStory(OLA, 'collectionAndDeferral', { ...story, name: 'Beboer i inkasso' }),
];
const byPid = (pid: string) => LEDGER.find((e) => e.pid === pid)!;
const OPEN = RESIDENTS.map((r) => {
  const invoice = byPid(r.pid).invoices.find((i) => i.status === 'UNPAID')!;
  return { pid: r.pid, invoiceId: invoice.id };
});
const PAID = (() => {
  const invoice = byPid(RESIDENTS[0].pid).invoices.find((i) => i.status === 'PAID')!;
  return { pid: RESIDENTS[0].pid, invoiceId: invoice.id };
})();
const IN_COLLECTION = {
  pid: OLA,
  invoiceId: byPid(OLA).invoices.find((i) => i.status === 'SENT_TO_DEBT_COLLECTION')!.id,
};
const ALL_PIDS = LEDGER.map((e) => e.pid);

/** Every line any logger saw, to prove no identity number is ever logged. */
const logs: string[] = [];
const captureLogger: LoggerService = {
  log: (m: unknown) => void logs.push(String(m)),
  error: (m: unknown) => void logs.push(String(m)),
  warn: (m: unknown) => void logs.push(String(m)),
  debug: (m: unknown) => void logs.push(String(m)),
  verbose: (m: unknown) => void logs.push(String(m)),
  fatal: (m: unknown) => void logs.push(String(m)),
};

/** The HTTP adapter logging into `logs`, with short back-offs and the given time-outs. */
const httpFinance = (
  timeoutMs: number,
  breaker?: { breakerThreshold: number; halfOpenAfterMs: number },
) =>
  new HttpFinanceSystem({
    apiKeyFor: () => API_KEY,
    logger: { warn: (m) => void logs.push(m), debug: (m) => void logs.push(m) },
    readTimeoutMs: timeoutMs,
    writeTimeoutMs: timeoutMs,
    retries: 1,
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    ...breaker,
  });

/** Test-sized time-outs and breaker, as the finance fault tests use it. */
const fastFinance = () => httpFinance(250, { breakerThreshold: 5, halfOpenAfterMs: 300 });

/**
 * The test nodes' generous time-out, for tests about leases and restarts rather than time-outs:
 * with `fastFinance`'s 250 ms, one slow write on a loaded CI machine failed, was never retried by
 * the batch its siblings hung, and the test waited out jest's 90 s for a third write that could
 * not come.
 */
const patientFinance = () => httpFinance(5_000);

/**
 * A finance system whose process "dies" after each write: the write reaches the finance server,
 * the answer never reaches the worker, so nothing is recorded. `reached` counts writes sent;
 * `failed` those that never got there (which the dying batch never retries).
 */
const dyingFinance = () => {
  const real = patientFinance();
  const counts = { reached: 0, failed: 0 };
  const finance = Object.assign(Object.create(real) as FinanceSystem, {
    setDueDate: async (...args: Parameters<FinanceSystem['setDueDate']>) => {
      try {
        await real.setDueDate(...args);
      } catch (error) {
        counts.failed++;
        throw error;
      }
      counts.reached++;
      return new Promise<never>(() => undefined);
    },
  });
  return { finance, counts };
};

/**
 * Waits until `done()` holds, or fails after `timeoutMs` naming what it waited for and what
 * `seen()` finds then.
 */
const waitFor = async (
  what: string,
  done: () => boolean,
  timeoutMs = 20_000,
  seen?: () => Promise<unknown>,
) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(
        `waited ${timeoutMs} ms for ${what}${seen ? `; seen: ${JSON.stringify(await seen())}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('WritebackWorker', () => {
  let db: TestDatabase;
  let server: RunningFinanceServer;
  let municipality: Municipality;
  /** For arranging and cleaning up; no worker behind it (SQLite allows one worker process). */
  let orm: MikroORM;
  const nodes: WritebackNode[] = [];

  const start = async (env: Record<string, string> = {}, finance?: FinanceSystem) => {
    const node = await startWritebackNode({
      env: {
        ...db.env,
        FINANCE_API_KEY: API_KEY,
        // Generous: the finance server shares this process, and SQLite blocks its event loop; 2 s
        // was once too little for 50 writes at once on a machine running other suites beside this
        // one (the healthy drain then saw timeouts and second attempts). Tests of time-outs set
        // their own, or use `fastFinance`.
        FINANCE_WRITE_TIMEOUT_MS: '5000',
        // Effectively no polling: tests drain, wake, or ask for polling themselves.
        WRITEBACK_POLL_MS: '300000',
        WRITEBACK_BACKOFF_MS: '20',
        // Longer than three writes can take (the start-up check).
        WRITEBACK_LEASE_MS: '20000',
        WRITEBACK_SHUTDOWN_GRACE_MS: '2000',
        ...env,
      },
      finance,
      logger: captureLogger,
    });
    nodes.push(node);
    return node;
  };
  const jobFor = (
    target: { pid: string; invoiceId: string },
    newDueDate = NEW_DUE,
  ): EnqueueWriteback => ({
    municipalityId: municipality.id,
    deferralRequestId: randomUUID(),
    invoiceId: target.invoiceId,
    pid: target.pid,
    newDueDate,
    reason: `UTS-${randomUUID().slice(0, 8)}`,
  });
  const state = () => financeAdmin(server.url, API_KEY, '/admin/state');
  const faults = (config: Record<string, unknown>) =>
    financeAdmin(server.url, API_KEY, '/admin/faults', config);

  /** Done jobs were written exactly once, under their own key; nothing else was written at all. */
  const expectExactlyOnce = (jobs: WritebackJob[], finance: FinanceAdminState) => {
    const done = jobs.filter((j) => j.status === 'done');
    for (const job of done) {
      expect(finance.appliedPerInvoice[job.invoiceId]).toBe(1);
      const records = finance.idempotencyKeys.filter(
        (k) => k.idempotencyKey === job.idempotencyKey,
      );
      expect(records).toEqual([
        expect.objectContaining({
          invoiceId: job.invoiceId,
          newDueDate: job.newDueDate,
          outcome: 'applied',
        }),
      ]);
      expect(job.result).toMatchObject({ invoiceId: job.invoiceId, dueDate: job.newDueDate });
      expect(job.completedAt).toBeInstanceOf(Date);
      expect(job.lockedUntil).toBeNull();
    }
    const written = Object.values(finance.appliedPerInvoice).reduce((a, b) => a + b, 0);
    expect(written).toBe(done.length);
  };
  const reachedBooks = (finance: FinanceAdminState) =>
    finance.idempotencyKeys.reduce((sum, k) => sum + k.requests, 0);
  const keyRequests = (finance: FinanceAdminState, job: WritebackJob) =>
    finance.idempotencyKeys.find((k) => k.idempotencyKey === job.idempotencyKey)?.requests ?? 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await createWritebackSchema(db.env);
    server = await startFinanceServer({ apiKey: API_KEY, today: TODAY, ledger: LEDGER });
    municipality = await createMunicipality(orm.em.fork(), {
      slug: 'fjordvik',
      settings: { financeAdapter: 'http', financeBaseUrl: server.url },
    });
  });

  // Every test starts from empty books and an empty outbox, whatever the one before left.
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    await orm.em.fork().nativeDelete(WritebackJob, {});
    await financeAdmin(server.url, API_KEY, '/admin/reset', {});
  });

  afterAll(async () => {
    await orm?.close();
    await server?.close();
    await db?.drop();
    for (const pid of ALL_PIDS) {
      expect(logs.filter((line) => line.includes(pid))).toEqual([]);
    }
  });

  describe('drain', () => {
    it('writes 50 approved due dates, each exactly once, when the finance system is healthy', async () => {
      const node = await start();
      const jobs = await enqueueAll(
        node,
        OPEN.slice(0, 50).map((t) => jobFor(t)),
      );
      // The bootstrap poll may take some batches; drain returns once none is left either way.
      await node.worker.drain();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
        1,
      );
      expect(settled.map((j) => j.status)).toEqual(Array(50).fill('done'));
      expect(settled.every((j) => j.attempts === 1 && j.result?.replayed === false)).toBe(true);
      const finance = await state();
      expectExactlyOnce(settled, finance);
      expect(settled.every((j) => keyRequests(finance, j) === 1)).toBe(true);
      expect(finance.requests['PUT /invoices/:id/due-date']).toBe(50);
      expect(logs.some((line) => line.includes(`Write-back ${jobs[0].id} attempt 1: done`))).toBe(
        true,
      );
    });

    it('returns 0 and calls nobody when no job is due', async () => {
      const node = await start();
      expect(await node.worker.drain()).toBe(0);
      expect((await state()).requests).toEqual({});
    });
  });

  describe('wake', () => {
    it('writes a new approval at once when woken after the commit, without waiting for a poll', async () => {
      const node = await start({ WRITEBACK_POLL_MS: '300000' });
      const [job] = await enqueueAll(node, [jobFor(OPEN[0])]);
      node.worker.wake();
      const [settled] = await waitUntilSettled(node, [job.id], 3_000);
      expect(settled.status).toBe('done');
      expectExactlyOnce([settled], await state());
    });
  });

  describe('enqueue', () => {
    it('wakes the worker when the transaction that queued the job commits, and not before', async () => {
      const node = await start({ WRITEBACK_POLL_MS: '300000', WRITEBACK_WAKE_DELAY_MS: '0' });
      await node.worker.drain();
      const wake = jest.spyOn(node.worker, 'wake');
      const job = await node.em().transactional(async (em) => {
        const [queued] = await node.service.enqueueMany(em, [jobFor(OPEN[5])]);
        // Uncommitted, the job is invisible to a claim: waking now would find nothing.
        expect(wake).not.toHaveBeenCalled();
        return queued;
      });
      expect(wake).toHaveBeenCalledTimes(1);
      const [settled] = await waitUntilSettled(node, [job.id], 3_000);
      expect(settled.status).toBe('done');
      expectExactlyOnce([settled], await state());
    });

    it('queues nothing and calls nobody when the transaction rolls back', async () => {
      const node = await start({ WRITEBACK_POLL_MS: '300000', WRITEBACK_WAKE_DELAY_MS: '0' });
      const input = jobFor(OPEN[6]);
      const wake = jest.spyOn(node.worker, 'wake');
      await expect(
        node.em().transactional(async (em) => {
          await node.service.enqueueMany(em, [input]);
          throw new Error('the decisions could not be stored');
        }),
      ).rejects.toThrow('the decisions could not be stored');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(wake).not.toHaveBeenCalled();
      expect(
        await orm.em.fork().count(WritebackJob, { deferralRequestId: input.deferralRequestId }),
      ).toBe(0);
      expect((await state()).requests).toEqual({});
    });

    it('refuses to queue outside a transaction', async () => {
      const node = await start();
      await expect(node.service.enqueueMany(node.em(), [jobFor(OPEN[7])])).rejects.toThrow(
        TypeError,
      );
    });
  });

  describe('audit', () => {
    it("writes each final outcome's audit entry with the outcome, and none for a retry", async () => {
      const node = await start({ FINANCE_WRITE_TIMEOUT_MS: '300', WRITEBACK_LEASE_MS: '3000' });
      await faults({ mode: 'error500', paths: ['PUT '], times: 1 });
      const jobs = await enqueueAll(node, [jobFor(OPEN[8]), jobFor(PAID)]);
      await node.worker.drain();
      const entries = await node.em().find(AuditEntry, {
        subjectId: { $in: jobs.map((j) => j.deferralRequestId) },
      });
      const stored = await node.em().find(WritebackJob, { id: { $in: jobs.map((j) => j.id) } });
      const final = stored.filter((j) => j.status === 'done' || j.status === 'failed');
      expect(entries.map((e) => [e.subjectId, e.type]).sort()).toEqual(
        final
          .map((j) => [
            j.deferralRequestId,
            j.status === 'done' ? 'writeback.succeeded' : 'writeback.failed',
          ])
          .sort(),
      );
      const failed = entries.find((e) => e.type === 'writeback.failed');
      expect(failed?.payload).toMatchObject({ error: 'rejected:INVOICE_PAID', attempts: 1 });
    });
  });

  describe('WRITEBACK_WORKER=off', () => {
    it('neither polls nor wakes on that instance; an instance with the worker on writes the job', async () => {
      const off = await start({ WRITEBACK_WORKER: 'off', WRITEBACK_POLL_MS: '20' });
      const [job] = await enqueueAll(off, [jobFor(OPEN[2])]);
      off.worker.wake();
      // Fifteen poll intervals and the wake delay: long enough for a running worker to finish.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await orm.em.fork().findOneOrFail(WritebackJob, job.id)).status).toBe('pending');
      expect(reachedBooks(await state())).toBe(0);

      const on = await start({ WRITEBACK_POLL_MS: '20' });
      const [settled] = await waitUntilSettled(on, [job.id], 3_000);
      expect(settled.status).toBe('done');
      expectExactlyOnce([settled], await state());
    });
  });

  describe('onOutcome', () => {
    it('calls listeners inside the outcome transaction, once per recorded outcome', async () => {
      const node = await start();
      const seen: string[] = [];
      const stop = node.worker.onOutcome(async (job, outcome, em) => {
        expect(em.isInTransaction()).toBe(true);
        seen.push(`${job.id}:${job.status}:${outcome.kind}`);
      });
      const jobs = await enqueueAll(node, [jobFor(OPEN[0]), jobFor(PAID)]);
      await node.worker.drain();
      expect(seen.sort()).toEqual(
        [`${jobs[0].id}:done:done`, `${jobs[1].id}:failed:failed`].sort(),
      );
      stop();
    });

    it('keeps the job for another try when a listener fails, and replays rather than rewrites', async () => {
      const node = await start({ WRITEBACK_LEASE_MS: '3000', FINANCE_WRITE_TIMEOUT_MS: '300' });
      let fail = true;
      node.worker.onOutcome(async () => {
        if (fail) throw new Error('audit log unavailable');
      });
      const [job] = await enqueueAll(node, [jobFor(OPEN[1])]);
      await node.worker.drain();
      expect((await node.em().findOneOrFail(WritebackJob, job.id)).status).toBe('in_progress');
      fail = false;
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      await node.worker.drain();
      const [settled] = await waitUntilSettled(node, [job.id], 1);
      expect(settled).toMatchObject({ status: 'done', attempts: 2 });
      expect(settled.result?.replayed).toBe(true);
      const finance = await state();
      expectExactlyOnce([settled], finance);
      expect(keyRequests(finance, settled)).toBe(2);
    });
  });

  describe('rejections', () => {
    it('fails at once with the reason code when the invoice is paid, in collection or unknown', async () => {
      const node = await start();
      const good = jobFor(OPEN[2]);
      const paid = jobFor(PAID);
      const collection = jobFor(IN_COLLECTION);
      const unknown = jobFor({ pid: OPEN[3].pid, invoiceId: 'fjordvik-no-such-invoice' });
      const tooLate = jobFor(OPEN[4], addDays(TODAY, 400));
      const jobs = await enqueueAll(node, [good, paid, collection, unknown, tooLate]);
      await node.worker.drain();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
        1,
      );
      expect(settled.map((j) => [j.status, j.attempts, j.lastError])).toEqual([
        ['done', 1, null],
        ['failed', 1, 'rejected:INVOICE_PAID'],
        ['failed', 1, 'rejected:INVOICE_IN_DEBT_COLLECTION'],
        ['failed', 1, 'not-found:invoice'],
        ['failed', 1, 'rejected:DUE_DATE_TOO_LATE'],
      ]);
      expectExactlyOnce(settled, await state());
      const failed = await node.service.failedJobs(municipality.id);
      const mine = failed.filter((f) => jobs.some((j) => j.id === f.jobId));
      expect(mine.map((f) => f.lastError).sort()).toEqual(
        [
          'not-found:invoice',
          'rejected:DUE_DATE_TOO_LATE',
          'rejected:INVOICE_IN_DEBT_COLLECTION',
          'rejected:INVOICE_PAID',
        ].sort(),
      );
      expect(JSON.stringify(failed)).not.toContain(PAID.pid);
    });
  });

  describe('under faults', () => {
    // An open circuit fails tries fast and they count as attempts: leave room for recovery.
    const withPolling = { WRITEBACK_POLL_MS: '20', WRITEBACK_MAX_ATTEMPTS: '20' };
    const targets = () => OPEN.slice(10, 20).map((t) => jobFor(t));

    it('writes each due date once when writes time out and the finance system recovers', async () => {
      const node = await start(withPolling, fastFinance());
      // Slow answers are still applied later, after the client gave up: the retry must replay.
      await faults({ mode: 'slow', delayMs: 600, paths: ['PUT '], times: 8 });
      const jobs = await enqueueAll(node, targets());
      node.worker.wake();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
      );
      expect(settled.map((j) => j.status)).toEqual(Array(10).fill('done'));
      expect(settled.some((j) => j.attempts > 1 || j.result?.replayed)).toBe(true);
      // Judge only once every request that timed out on our side has reached the books.
      let finance = await state();
      while (reachedBooks(finance) < finance.requests['PUT /invoices/:id/due-date']) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        finance = await state();
      }
      expectExactlyOnce(settled, finance);
    });

    it('writes each due date once when the finance system answers 500 for a while', async () => {
      const node = await start(withPolling, fastFinance());
      await faults({ mode: 'error500', paths: ['PUT '], times: 15 });
      const jobs = await enqueueAll(node, targets());
      node.worker.wake();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
      );
      expect(settled.map((j) => j.status)).toEqual(Array(10).fill('done'));
      expect(settled.some((j) => j.attempts > 1)).toBe(true);
      const finance = await state();
      expectExactlyOnce(settled, finance);
      // A 500 never reaches the books, so each key was seen exactly once, by its successful try.
      expect(settled.every((j) => keyRequests(finance, j) === 1)).toBe(true);
    });

    it('applies once when the connection drops after the change was applied', async () => {
      const node = await start(withPolling, fastFinance());
      await faults({ mode: 'drop', paths: ['PUT '], times: 5 });
      const jobs = await enqueueAll(node, targets());
      node.worker.wake();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
      );
      expect(settled.map((j) => j.status)).toEqual(Array(10).fill('done'));
      const finance = await state();
      expectExactlyOnce(settled, finance);
      const repeated = settled.filter((j) => keyRequests(finance, j) > 1);
      expect(repeated).toHaveLength(5);
      expect(repeated.every((j) => j.result?.replayed === true)).toBe(true);
    });

    it('fails for officers with the last error when every attempt fails', async () => {
      const node = await start({ ...withPolling, WRITEBACK_MAX_ATTEMPTS: '3' }, fastFinance());
      await faults({ mode: 'error500', paths: ['PUT '] });
      const jobs = await enqueueAll(node, targets().slice(0, 4));
      node.worker.wake();
      const settled = await waitUntilSettled(
        node,
        jobs.map((j) => j.id),
      );
      for (const job of settled) {
        expect(job).toMatchObject({
          status: 'failed',
          attempts: 3,
          completedAt: null,
          result: null,
        });
        expect(job.lastError).toMatch(/^unavailable:(server-error|circuit-open)$/);
      }
      expectExactlyOnce(settled, await state());
      const views = await node.service.jobsFor(
        municipality.id,
        jobs.map((j) => j.deferralRequestId),
      );
      expect([...views.values()].map((v) => [v.status, v.attempts, v.nextAttemptAt])).toEqual(
        Array(4).fill(['failed', 3, null]),
      );
    });
  });

  describe('a worker killed mid-call', () => {
    it('is taken over after its lease, and the change is applied exactly once', async () => {
      const dying = dyingFinance();
      // FINANCE_WRITE_TIMEOUT_MS only has to let a 3 s lease pass the start-up check here (the
      // node's port is `dying`, with time-outs of its own).
      const lease = {
        WRITEBACK_LEASE_MS: '3000',
        WRITEBACK_SHUTDOWN_GRACE_MS: '0',
        FINANCE_WRITE_TIMEOUT_MS: '300',
      };
      // No poll of its own: the drain below is its only claim, so it takes all three jobs at once.
      // A poll racing the enqueue could claim fewer (a claim's `now` taken before the later jobs'
      // `nextAttemptAt`), and with the first call hanging on purpose, the rest would never go:
      // CI on PostgreSQL once saw one job claimed and two left pending.
      const doomed = await start({ ...lease, WRITEBACK_WORKER: 'off' }, dying.finance);
      const jobs = await enqueueAll(
        doomed,
        OPEN.slice(30, 33).map((t) => jobFor(t)),
      );
      const claimedAt = Date.now();
      void doomed.worker.drain();
      await waitFor(
        'three writes to reach the finance system',
        () => dying.counts.reached + dying.counts.failed >= 3,
        20_000,
        async () => ({
          counts: dying.counts,
          jobs: (
            await orm.em.fork().find(WritebackJob, { id: { $in: jobs.map((j) => j.id) } })
          ).map((j) => [
            j.status,
            j.attempts,
            j.claimedBy,
            j.lastError,
            j.nextAttemptAt.toISOString(),
          ]),
          finance: (await state()).requests,
        }),
      );
      expect(dying.counts).toEqual({ reached: 3, failed: 0 });
      await doomed.close();
      nodes.splice(nodes.indexOf(doomed), 1);
      expect((await state()).appliedPerInvoice).toEqual(
        Object.fromEntries(jobs.map((j) => [j.invoiceId, 1])),
      );

      const heir = await start({ ...lease, WRITEBACK_POLL_MS: '50' }, patientFinance());
      const seen = await heir.em().find(WritebackJob, { id: { $in: jobs.map((j) => j.id) } });
      expect(seen.map((j) => j.status)).toEqual(Array(3).fill('in_progress'));
      const settled = await waitUntilSettled(
        heir,
        jobs.map((j) => j.id),
      );
      expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(3_000);
      for (const job of settled) {
        expect(job).toMatchObject({ status: 'done', attempts: 2 });
        expect(job.result?.replayed).toBe(true);
      }
      const finance = await state();
      expectExactlyOnce(settled, finance);
      expect(settled.map((j) => keyRequests(finance, j))).toEqual([2, 2, 2]);
    }, 90_000); // two portals started in turn and a 3 s lease: over 30 s on a loaded CI machine
  });

  describe('onApplicationBootstrap', () => {
    it("takes back its own claims at once after a restart, and leaves another instance's to their lease", async () => {
      const dying = dyingFinance();
      const settings = { WRITEBACK_LEASE_MS: '60000', WRITEBACK_SHUTDOWN_GRACE_MS: '0' };
      /** An instance that claims one job, calls the finance system and dies before recording. */
      const dies = async (instanceId: string, target: { pid: string; invoiceId: string }) => {
        const doomed = await start(
          { ...settings, WRITEBACK_INSTANCE_ID: instanceId },
          dying.finance,
        );
        const [job] = await enqueueAll(doomed, [jobFor(target)]);
        const before = { ...dying.counts };
        void doomed.worker.drain();
        await waitFor(
          `${instanceId}'s write to reach the finance system`,
          () => dying.counts.reached + dying.counts.failed > before.reached + before.failed,
        );
        expect(dying.counts).toEqual({ reached: before.reached + 1, failed: 0 });
        await doomed.close();
        nodes.splice(nodes.indexOf(doomed), 1);
        return job;
      };
      const own = await dies('portal-a:3000', OPEN[34]);
      const others = await dies('portal-b:3000', OPEN[35]);

      const restarted = await start(
        { ...settings, WRITEBACK_INSTANCE_ID: 'portal-a:3000' },
        patientFinance(),
      );
      // Its first poll, at start, finds the job: long before the 60 s lease would let it.
      const [ownJob] = await waitUntilSettled(restarted, [own.id], 10_000);
      const othersJob = await restarted.em().findOneOrFail(WritebackJob, { id: others.id });
      // Taken over under a new fencing token, and written once thanks to its idempotency key.
      expect(ownJob).toMatchObject({ status: 'done', attempts: 2 });
      expect(ownJob.result?.replayed).toBe(true);
      expect(othersJob).toMatchObject({ status: 'in_progress', attempts: 1 });
      expect(othersJob.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect((await state()).appliedPerInvoice).toEqual({
        [own.invoiceId]: 1,
        [others.invoiceId]: 1,
      });
    });
  });
});

describe('WritebackService', () => {
  let db: TestDatabase;
  let node: WritebackNode;
  let municipality: Municipality;

  beforeAll(async () => {
    db = await createTestDatabase();
    await (await createWritebackSchema(db.env)).close();
    node = await startWritebackNode({
      env: { ...db.env, FINANCE_API_KEY: API_KEY, WRITEBACK_POLL_MS: '300000' },
    });
    municipality = await createMunicipality(node.em());
  });
  afterAll(async () => {
    await node?.close();
    await db?.drop();
  });

  const input = (): EnqueueWriteback => ({
    municipalityId: municipality.id,
    deferralRequestId: randomUUID(),
    invoiceId: 'fjordvik-2026001001',
    pid: OPEN[0].pid,
    newDueDate: NEW_DUE,
    reason: 'UTS-1',
  });

  describe('enqueue', () => {
    it('writes nothing until the caller flushes, and nothing at all when its transaction rolls back', async () => {
      const em = node.em();
      const job = node.service.enqueue(em, input());
      expect(job.idempotencyKey).toBe(`deferral-${job.deferralRequestId}`);
      expect(await node.em().count(WritebackJob, { id: job.id })).toBe(0);

      const rolledBack = input();
      await expect(
        node.em().transactional(async (tx) => {
          node.service.enqueue(tx, rolledBack);
          await tx.flush();
          throw new Error('the decision could not be stored');
        }),
      ).rejects.toThrow('the decision could not be stored');
      expect(
        await node.em().count(WritebackJob, { deferralRequestId: rolledBack.deferralRequestId }),
      ).toBe(0);

      await em.flush();
      const stored = await node.em().findOneOrFail(WritebackJob, job.id);
      expect(stored).toMatchObject({
        status: 'pending',
        attempts: 0,
        lockedUntil: null,
        lastError: null,
      });
    });

    it('refuses a second job for the same deferral request', async () => {
      const first = input();
      await node.em().transactional(async (em) => void node.service.enqueue(em, first));
      await expect(
        node
          .em()
          .transactional(async (em) => void node.service.enqueue(em, { ...first, invoiceId: 'x' })),
      ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    });

    it('refuses a malformed date, identity number or reason before anything is stored', () => {
      const em = node.em();
      expect(() => node.service.enqueue(em, { ...input(), newDueDate: '2026-02-30' })).toThrow(
        TypeError,
      );
      expect(() => node.service.enqueue(em, { ...input(), pid: '123' })).toThrow(TypeError);
      expect(() => node.service.enqueue(em, { ...input(), reason: ' ' })).toThrow(TypeError);
    });
  });

  describe('jobsFor', () => {
    it("shows each request's write-back status, scoped to the municipality", async () => {
      const a = input();
      const b = input();
      await node.em().transactional(async (em) => {
        node.service.enqueue(em, a);
        node.service.enqueue(em, b);
      });
      const views = await node.service.jobsFor(municipality.id, [
        a.deferralRequestId,
        b.deferralRequestId,
        randomUUID(),
      ]);
      expect(views.size).toBe(2);
      expect(views.get(a.deferralRequestId)).toMatchObject({
        status: 'pending',
        attempts: 0,
        completedAt: null,
      });
      expect(views.get(a.deferralRequestId)?.nextAttemptAt).toBeInstanceOf(Date);
      expect(JSON.stringify([...views.values()])).not.toContain(a.pid);
      expect((await node.service.jobsFor(randomUUID(), [a.deferralRequestId])).size).toBe(0);
      expect((await node.service.jobsFor(municipality.id, [])).size).toBe(0);
    });
  });
});
