import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { buildOrmConfig } from '../../database/orm.config';
import { DeferralRequest } from '../deferral-request.entity';
import { statisticsCase, type CaseSpec } from './case.test-factory';
import { CaseStatistics } from './case-statistics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 9 December 2026, 10:00 in Oslo: week 50; weeks 48 and 49 before it. */
const NOW = new Date('2026-12-09T09:00:00Z');
const at = (iso: string) => new Date(iso);
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** On SQLite, or on PostgreSQL when TEST_DATABASE_URL names a server. */
describe(CaseStatistics.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let statistics: CaseStatistics;
  const a = randomUUID();
  const b = randomUUID();
  const empty = randomUUID();
  const clocks = randomUUID();

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
      [DeferralRequest],
    );
    orm = await MikroORM.init({ ...config, entities: [DeferralRequest] });
    await orm.schema.create();
    const specs: CaseSpec[] = [
      // Week 48: one an officer approved 4 hours after it came to them.
      {
        municipalityId: a,
        createdAt: at('2026-11-24T10:00:00Z'),
        decided: 'by-officer',
        outcome: 'approved',
        sentToOfficerAt: at('2026-11-24T10:00:00Z'),
        decidedAt: at('2026-11-24T14:00:00Z'),
      },
      // Week 49: two approved by the policy (the last one a moment before Monday 00:00 in Oslo),
      // one an officer rejected after 10 hours, one taken by an officer 8 days ago, and one the
      // policy rejected that the resident sent to a person 4 days ago.
      {
        municipalityId: a,
        createdAt: at('2026-12-01T08:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-06T22:59:59.999Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-02T07:00:00Z'),
        decided: 'by-officer',
        outcome: 'rejected',
        policyOutcome: 'rejected',
        sentToOfficerAt: at('2026-12-02T08:00:00Z'),
        decidedAt: at('2026-12-02T18:00:00Z'),
      },
      {
        municipalityId: a,
        createdAt: ago(8 * DAY),
        decided: 'not-yet',
        status: 'taken',
        sentToOfficerAt: ago(8 * DAY),
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-04T12:00:00Z'),
        decided: 'not-yet',
        policyOutcome: 'rejected',
        sentToOfficerAt: ago(4 * DAY + HOUR),
      },
      // Week 50: three approved by the policy (one at Monday 00:00 in Oslo), one rejected by it,
      // one an officer approved after 2 hours, and a manual review waiting since yesterday.
      {
        municipalityId: a,
        createdAt: at('2026-12-06T23:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-07T09:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-08T09:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-08T10:00:00Z'),
        decided: 'automatically',
        outcome: 'rejected',
      },
      {
        municipalityId: a,
        createdAt: at('2026-12-07T10:00:00Z'),
        decided: 'by-officer',
        outcome: 'approved',
        sentToOfficerAt: at('2026-12-07T11:00:00Z'),
        decidedAt: at('2026-12-07T13:00:00Z'),
      },
      {
        municipalityId: a,
        createdAt: ago(1 * DAY),
        decided: 'not-yet',
        sentToOfficerAt: ago(1 * DAY),
      },
      // Before the period: five approved by the policy (week 47); cases waiting 20 days (made in
      // week 47) and 69 days.
      ...Array.from({ length: 5 }, (): CaseSpec => ({
        municipalityId: a,
        createdAt: at('2026-11-20T09:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      })),
      {
        municipalityId: a,
        createdAt: ago(20 * DAY),
        decided: 'not-yet',
        sentToOfficerAt: ago(20 * DAY),
      },
      {
        municipalityId: a,
        createdAt: ago(69 * DAY),
        decided: 'not-yet',
        status: 'awaiting_resident',
        sentToOfficerAt: ago(69 * DAY),
      },
      // Municipality B: two approved by the policy this week, and an officer's decision in 1 hour.
      {
        municipalityId: b,
        createdAt: at('2026-12-08T09:00:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: b,
        createdAt: at('2026-12-08T09:30:00Z'),
        decided: 'automatically',
        outcome: 'approved',
      },
      {
        municipalityId: b,
        createdAt: at('2026-12-08T09:00:00Z'),
        decided: 'by-officer',
        outcome: 'approved',
        sentToOfficerAt: at('2026-12-08T09:00:00Z'),
        decidedAt: at('2026-12-08T10:00:00Z'),
      },
    ];
    // Either side of the Monday after each clock change (29 March and 25 October 2026).
    for (const iso of [
      '2026-03-22T23:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-03-29T21:59:59.999Z',
      '2026-03-29T22:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T22:59:59.999Z',
      '2026-10-25T23:00:00Z',
      '2026-10-26T10:00:00Z',
    ])
      specs.push({
        municipalityId: clocks,
        createdAt: at(iso),
        decided: 'automatically',
        outcome: 'approved',
      });
    const em = orm.em.fork();
    for (const spec of specs) statisticsCase(em, spec);
    await em.flush();
    statistics = new CaseStatistics(orm);
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  const zero = {
    approvedAutomatically: 0,
    rejectedAutomatically: 0,
    approvedByOfficer: 0,
    rejectedByOfficer: 0,
    open: 0,
  };

  describe('forPeriod', () => {
    it('counts requests per Oslo week by outcome, each at the instant it was made', async () => {
      const report = await statistics.forPeriod([a], 3, NOW);
      expect(report.weeks.map((w) => w.label)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
      const [only] = report.municipalities;
      expect(only.municipalityId).toBe(a);
      expect(only.weeks).toEqual([
        { ...zero, approvedByOfficer: 1 },
        { ...zero, approvedAutomatically: 2, rejectedByOfficer: 1, open: 2 },
        {
          ...zero,
          approvedAutomatically: 3,
          rejectedAutomatically: 1,
          approvedByOfficer: 1,
          open: 1,
        },
      ]);
      expect(only.totals).toEqual({
        approvedAutomatically: 5,
        rejectedAutomatically: 1,
        approvedByOfficer: 2,
        rejectedByOfficer: 1,
        open: 3,
      });
      expect(only.requests).toBe(12);
      expect(only.decidedAutomatically).toBe(6);
    });

    it('ages the open cases from when they came to a person, whenever they were made', async () => {
      const [only] = (await statistics.forPeriod([a], 3, NOW)).municipalities;
      expect(only.openByAge).toEqual({
        days0to2: 1,
        days3to7: 1,
        days8to14: 1,
        days15to30: 1,
        over30: 1,
      });
    });

    it('takes the median and 90th percentile of the time to an officer’s decision', async () => {
      const report = await statistics.forPeriod([a], 3, NOW);
      // 2, 4 and 10 hours.
      expect(report.timeToDecision).toEqual({
        decisions: 3,
        medianMs: 4 * HOUR,
        p90Ms: 31_680_000, // 8.8 hours
      });
    });

    it('keeps municipalities apart and sums them in `combined`', async () => {
      const report = await statistics.forPeriod([a, b], 3, NOW);
      expect(report.municipalities.map((m) => m.municipalityId)).toEqual([a, b]);
      const [, second] = report.municipalities;
      expect(second.weeks[2]).toEqual({ ...zero, approvedAutomatically: 2, approvedByOfficer: 1 });
      expect(second.decidedAutomatically).toBe(2);
      expect(report.combined.weeks[2]).toEqual({
        ...zero,
        approvedAutomatically: 5,
        rejectedAutomatically: 1,
        approvedByOfficer: 2,
        open: 1,
      });
      expect(report.combined.requests).toBe(15);
      expect(report.combined.decidedAutomatically).toBe(8);
      expect(report.combined.openByAge.over30).toBe(1);
      // 1, 2, 4 and 10 hours.
      expect(report.timeToDecision).toEqual({
        decisions: 4,
        medianMs: 3 * HOUR,
        p90Ms: 29_520_000,
      }); // 8.2 hours
    });

    it('gives zeros, not an error, for a municipality without requests', async () => {
      const report = await statistics.forPeriod([empty], 4, NOW);
      expect(report.municipalities).toEqual([
        {
          municipalityId: empty,
          weeks: [zero, zero, zero, zero],
          totals: zero,
          requests: 0,
          decidedAutomatically: 0,
          openByAge: { days0to2: 0, days3to7: 0, days8to14: 0, days15to30: 0, over30: 0 },
        },
      ]);
      expect(report.timeToDecision).toEqual({ decisions: 0, medianMs: null, p90Ms: null });
    });

    it('counts a week further back only when the period reaches it', async () => {
      const one = await statistics.forPeriod([a], 1, NOW);
      expect(one.municipalities[0].requests).toBe(6);
      const four = await statistics.forPeriod([a], 4, NOW);
      expect(four.weeks[0].label).toBe('2026-W47');
      expect(four.municipalities[0].weeks[0]).toEqual({
        ...zero,
        approvedAutomatically: 5,
        open: 1,
      });
    });

    it('puts each request in its Oslo week across a change of the clocks', async () => {
      const spring = await statistics.forPeriod([clocks], 2, at('2026-04-01T08:00:00Z'));
      expect(spring.weeks.map((w) => w.label)).toEqual(['2026-W13', '2026-W14']);
      expect(spring.municipalities[0].weeks.map((w) => w.approvedAutomatically)).toEqual([3, 1]);
      const autumn = await statistics.forPeriod([clocks], 2, at('2026-10-28T08:00:00Z'));
      expect(autumn.weeks.map((w) => w.label)).toEqual(['2026-W43', '2026-W44']);
      expect(autumn.municipalities[0].weeks.map((w) => w.approvedAutomatically)).toEqual([2, 2]);
      // A period spanning both changes.
      const year = await statistics.forPeriod([clocks], 52, at('2026-12-09T09:00:00Z'));
      const counted = year.municipalities[0].weeks
        .map((w, i) => [year.weeks[i].label, w.approvedAutomatically])
        .filter(([, n]) => n !== 0);
      expect(counted).toEqual([
        ['2026-W13', 3],
        ['2026-W14', 1],
        ['2026-W43', 2],
        ['2026-W44', 2],
      ]);
    });

    it('refuses an empty list of municipalities', async () => {
      await expect(statistics.forPeriod([], 4, NOW)).rejects.toThrow(RangeError);
    });
  });
});
