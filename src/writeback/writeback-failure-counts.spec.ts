import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { buildOrmConfig } from '../database/orm.config';
import { WritebackJob, type WritebackStatus } from './writeback-job.entity';
import { countFailures } from './writeback-failure-counts';

/** Wednesday 9 December 2026, 10:00 in Oslo (week 50). */
const NOW = new Date('2026-12-09T09:00:00Z');
/** Monday of week 48, 00:00 in Oslo. */
const SINCE = new Date('2026-11-22T23:00:00Z');

/** On SQLite, or on PostgreSQL when TEST_DATABASE_URL names a server. */
describe(countFailures.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const a = randomUUID();
  const b = randomUUID();

  function job(municipalityId: string, status: WritebackStatus, failedAt: string | null) {
    const id = randomUUID();
    return {
      municipalityId,
      deferralRequestId: id,
      invoiceId: `inv-${id}`,
      pid: '01010112345',
      newDueDate: '2027-01-20',
      reason: 'Betalingsutsettelse TEST',
      idempotencyKey: `deferral-${id}`,
      status,
      failedAt: failedAt === null ? null : new Date(failedAt),
      createdAt: new Date('2026-11-01T09:00:00Z'),
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = buildOrmConfig(
      {
        kind: db.kind,
        url: db.env.DATABASE_URL,
        sqlitePath: db.env.SQLITE_PATH ?? ':memory:',
        poolMax: 2,
        migrateOnStart: false,
      },
      [WritebackJob],
    );
    orm = await MikroORM.init({ ...config, entities: [WritebackJob] });
    await orm.schema.create();
    const em = orm.em.fork();
    for (const row of [
      job(a, 'failed', '2026-11-24T10:00:00Z'), // week 48, failed still
      job(a, 'resolved_by_hand', '2026-11-25T10:00:00Z'), // week 48, since resolved
      job(a, 'failed', '2026-12-06T22:59:59.999Z'), // week 49, a moment before Monday in Oslo
      job(a, 'done', '2026-12-06T23:00:00Z'), // week 50: failed, retried by an officer, done
      job(a, 'failed', '2026-11-10T10:00:00Z'), // before the period, failed still
      job(a, 'done', null),
      job(a, 'pending', null),
      job(b, 'failed', '2026-12-08T10:00:00Z'),
    ])
      em.create(WritebackJob, row);
    await em.flush();
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it('counts failures per Oslo week by when they failed, and the jobs failed now', async () => {
    const counts = await countFailures(orm, [a], SINCE, NOW);
    expect(counts.weeks.map((w) => w.label)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    expect(counts.municipalities).toEqual([
      { municipalityId: a, failedPerWeek: [2, 1, 1], failedNow: 3 },
    ]);
  });

  it('keeps municipalities apart, in the order asked for, with zeros for none', async () => {
    const none = randomUUID();
    const counts = await countFailures(orm, [b, none, a], SINCE, NOW);
    expect(counts.municipalities).toEqual([
      { municipalityId: b, failedPerWeek: [0, 0, 1], failedNow: 1 },
      { municipalityId: none, failedPerWeek: [0, 0, 0], failedNow: 0 },
      { municipalityId: a, failedPerWeek: [2, 1, 1], failedNow: 3 },
    ]);
  });
});
