import type { MikroORM } from '@mikro-orm/core';
import type { AuditService } from '../audit';
import type { PersonalDataRemoval, RemovedPersonalData } from '../deferrals';
import type { TenancyService } from '../tenancy';
import type { RetentionConfig } from './retention.config';
import { RetentionService, yearsBefore } from './retention.service';

describe(yearsBefore.name, () => {
  it('goes back whole calendar years', () => {
    expect(yearsBefore(new Date('2032-12-06T03:00:00.000Z'), 5).toISOString()).toBe(
      '2027-12-06T03:00:00.000Z',
    );
  });

  it('takes 29 February to 1 March when the year it lands in has none', () => {
    expect(yearsBefore(new Date('2032-02-29T12:00:00.000Z'), 1).toISOString()).toBe(
      '2031-03-01T12:00:00.000Z',
    );
  });
});

describe(RetentionService.name, () => {
  const now = new Date('2032-12-06T03:00:00.000Z');
  const tx = { inTransaction: true };

  function service(
    pages: Record<string, string[][]>,
    taken: Set<string> = new Set(),
    settings: Record<string, Record<string, unknown>> = {},
  ) {
    const appended: { municipalityId: string; payload: Record<string, unknown> }[] = [];
    const expired = jest.fn(async (municipalityId: string) => pages[municipalityId]?.shift() ?? []);
    const removal = {
      expired,
      remove: jest.fn(async (_em: unknown, ids: string[], at: Date) => {
        const mine = ids.filter((id) => !taken.has(id));
        if (mine.length === 0) return null;
        return {
          requestIds: mine,
          oldestDecision: new Date(at.getTime() - 1000),
          newestDecision: at,
          messages: 0,
          letters: 0,
        } satisfies RemovedPersonalData;
      }),
    };
    const orm = {
      em: { fork: () => ({ transactional: (work: (em: unknown) => unknown) => work(tx) }) },
    };
    const audit = {
      append: jest.fn(async (_em: unknown, entry: (typeof appended)[number]) => {
        appended.push(entry);
      }),
    };
    const tenancy = {
      all: async () =>
        Object.keys(pages).map((id) => ({ id, slug: id, settings: settings[id] ?? {} })),
    };
    const config = { years: 5, batchSize: 2 } as RetentionConfig;
    const retention = new RetentionService(
      orm as unknown as MikroORM,
      audit as unknown as AuditService,
      removal as unknown as PersonalDataRemoval,
      tenancy as unknown as TenancyService,
      config,
    );
    return { retention, appended, expired };
  }

  it('removes in batches per municipality, one audit entry each, until a short batch', async () => {
    const { retention, appended, expired } = service({
      a: [['a1', 'a2'], ['a3', 'a4'], ['a5']],
      b: [['b1']],
    });
    const run = await retention.run(now);
    expect(run).toMatchObject({ removed: 6, batches: 4 });
    expect(appended.map((e) => [e.municipalityId, e.payload.requestIds])).toEqual([
      ['a', ['a1', 'a2']],
      ['a', ['a3', 'a4']],
      ['a', ['a5']],
      ['b', ['b1']],
    ]);
    expect(appended[0].payload).toMatchObject({
      retentionYears: 5,
      cutoff: '2027-12-06T03:00:00.000Z',
      count: 2,
    });
    expect(expired).toHaveBeenCalledWith('a', new Date('2027-12-06T03:00:00.000Z'), 2);
  });

  it("keeps each municipality's data for its own period, RETENTION_YEARS where it has none", async () => {
    const { retention, appended, expired } = service(
      { a: [['a1']], b: [['b1']], c: [['c1']] },
      new Set(),
      { a: { retention: { years: 10 } }, c: { retention: {} } },
    );
    const run = await retention.run(now);
    expect(expired.mock.calls).toEqual([
      ['a', new Date('2022-12-06T03:00:00.000Z'), 2],
      ['b', new Date('2027-12-06T03:00:00.000Z'), 2],
      ['c', new Date('2027-12-06T03:00:00.000Z'), 2],
    ]);
    expect(
      appended.map((e) => [e.municipalityId, e.payload.retentionYears, e.payload.cutoff]),
    ).toEqual([
      ['a', 10, '2022-12-06T03:00:00.000Z'],
      ['b', 5, '2027-12-06T03:00:00.000Z'],
      ['c', 5, '2027-12-06T03:00:00.000Z'],
    ]);
    expect(run.municipalities).toEqual([
      { municipalityId: 'a', years: 10, cutoff: new Date('2022-12-06T03:00:00.000Z'), removed: 1 },
      { municipalityId: 'b', years: 5, cutoff: new Date('2027-12-06T03:00:00.000Z'), removed: 1 },
      { municipalityId: 'c', years: 5, cutoff: new Date('2027-12-06T03:00:00.000Z'), removed: 1 },
    ]);
  });

  it('appends nothing, and stops, when another instance is removing the batch', async () => {
    const { retention, appended, expired } = service(
      {
        a: [
          ['a1', 'a2'],
          ['a1', 'a2'],
        ],
      },
      new Set(['a1', 'a2']),
    );
    expect(await retention.run(now)).toMatchObject({ removed: 0, batches: 0 });
    expect(appended).toEqual([]);
    // Not searching again and again while the other instance's transaction is still open.
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
