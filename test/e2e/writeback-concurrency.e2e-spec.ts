import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { LoggerService } from '@nestjs/common';
import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { addDays } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import {
  createWritebackSchema,
  enqueueAll,
  financeAdmin,
  startWritebackNode,
  waitUntilSettled,
  type WritebackNode,
} from '../../src/writeback/testing/writeback-test-node';
import { createMunicipality } from '../support/factories';
import { residentWithStory } from '../support/resident-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const API_KEY = 'writeback-concurrency-key';
const TODAY = '2026-11-23';
const JOBS = 200;
const RESIDENTS = Array.from({ length: JOBS }, (_, i) => ({
  pid: String(42_000_000_000 + i),
  name: `Beboer ${i}`,
  municipality: 'fjordvik' as const,
}));
const LEDGER = RESIDENTS.map((r) =>
  residentWithStory(r.pid, 'plainPayer', {
    today: TODAY,
    name: r.name,
    municipality: r.municipality,
    prefix: 'fjordvik',
  }),
);
const OPEN = LEDGER.map((e) => ({
  pid: e.pid,
  invoiceId: e.invoices.find((i) => i.status === 'UNPAID')!.id,
}));

const logs: string[] = [];
const push = (m: unknown) => void logs.push(String(m));
const captureLogger: LoggerService = {
  log: push,
  error: push,
  warn: push,
  debug: push,
  verbose: push,
};

/**
 * Several instances share one PostgreSQL database and must never process a job twice; SQLite is
 * for a single process, so there one worker drains the same load.
 */
describe('WritebackWorker', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let server: RunningFinanceServer;
  let municipality: Municipality;
  const nodes: WritebackNode[] = [];

  const start = async () => {
    const node = await startWritebackNode({
      env: {
        ...db.env,
        FINANCE_API_KEY: API_KEY,
        FINANCE_WRITE_TIMEOUT_MS: '2000',
        WRITEBACK_POLL_MS: '300000',
        WRITEBACK_BATCH: '10',
      },
      logger: captureLogger,
    });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await createWritebackSchema(db.env);
    server = await startFinanceServer({ apiKey: API_KEY, today: TODAY, ledger: LEDGER });
    municipality = await createMunicipality(orm.em.fork(), {
      slug: 'fjordvik',
      settings: { financeAdapter: 'http', financeBaseUrl: server.url },
    });
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await orm?.close();
    await server?.close();
    await db?.drop();
    expect(logs.filter((line) => RESIDENTS.some((r) => line.includes(r.pid)))).toEqual([]);
  });

  describe('drain', () => {
    it(`writes ${JOBS} due dates exactly once, each job by exactly one worker, when instances race`, async () => {
      const workers = db.kind === 'postgresql' ? [await start(), await start()] : [await start()];
      const processedBy = workers.map(() => new Set<string>());
      workers.forEach((node, i) =>
        node.worker.onOutcome(async (job) => void processedBy[i].add(job.id)),
      );
      const jobs = await enqueueAll(
        workers[0],
        OPEN.map((t) => ({
          municipalityId: municipality.id,
          deferralRequestId: randomUUID(),
          invoiceId: t.invoiceId,
          pid: t.pid,
          newDueDate: addDays(TODAY, 45),
          reason: `UTS-${t.invoiceId}`,
        })),
      );

      await Promise.all(workers.map((node) => node.worker.drain()));

      const settled = await waitUntilSettled(
        workers[0],
        jobs.map((j) => j.id),
        1,
      );
      expect(settled.filter((j) => j.status !== 'done' || j.attempts !== 1)).toEqual([]);
      const all = processedBy.flatMap((set) => [...set]);
      expect(new Set(all).size).toBe(JOBS);
      expect(all).toHaveLength(JOBS); // no job recorded by two workers
      if (workers.length > 1) expect(processedBy.every((set) => set.size > 0)).toBe(true);

      const finance = await financeAdmin(server.url, API_KEY, '/admin/state');
      expect(finance.requests['PUT /invoices/:id/due-date']).toBe(JOBS);
      expect(finance.idempotencyKeys).toHaveLength(JOBS);
      for (const job of settled) {
        expect(finance.appliedPerInvoice[job.invoiceId]).toBe(1);
        const [record] = finance.idempotencyKeys.filter(
          (k) => k.idempotencyKey === job.idempotencyKey,
        );
        expect(record).toMatchObject({
          outcome: 'applied',
          requests: 1,
          newDueDate: job.newDueDate,
        });
      }
    });
  });
});
