import { randomUUID } from 'node:crypto';
import { BigIntType, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { openTestOrm } from '../../test/support/test-database';
import { JsonTextType } from './json-text.type';
import { gatherWrites, insertRows, runPlain, writePlain } from './plain-statements';

/** Tests of what only PostgreSQL does (named statements, one statement of WITH clauses, lengths). */
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

@Entity({ tableName: 'plain_rows' })
class PlainRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'string', length: 20 })
  reference!: string;

  @Property({ type: 'string', length: 20, nullable: true })
  note: string | null = null;

  @Property({ type: new BigIntType('number') })
  amountOre!: number;

  @Property({ type: JsonTextType })
  facts!: Record<string, unknown>;

  @Property({ type: 'json' })
  letter!: { lines: string[] };

  @Property({ type: 'boolean' })
  urgent = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  doneAt: Date | null = null;

  @Property({ type: 'string', length: 10 })
  status = 'pending';
}

/** On SQLite, or on PostgreSQL when TEST_DATABASE_URL names a server. */
describe('plain statements', () => {
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ orm, close } = await openTestOrm([PlainRow], 2));
  });
  afterAll(() => close());

  const row = (reference: string, overrides: Partial<PlainRow> = {}): PlainRow =>
    Object.assign(new PlainRow(), {
      reference,
      amountOre: 178_454,
      facts: { today: '2026-12-06', nested: { 'a"b': [1, null, 'æøå\n'] } },
      letter: { lines: ['Hei', 'Takk'] },
      ...overrides,
    });

  it('stores every column as MikroORM reads it back: ids, null, big integers, JSON as text and as json, booleans, dates, defaults', async () => {
    const created = new Date('2026-12-06T10:11:12.345Z');
    const done = new Date('2026-12-07T00:00:00.000Z');
    const rows = [
      row('R-1', { createdAt: created }),
      row('R-2', { note: 'merk', urgent: true, doneAt: done, amountOre: 9_007_199_254 }),
    ];
    await orm.em.fork().transactional((em) => insertRows(em, PlainRow, rows));

    const [one, two] = await orm.em
      .fork()
      .find(PlainRow, { reference: { $in: ['R-1', 'R-2'] } }, { orderBy: { reference: 'asc' } });
    expect(one).toMatchObject({
      id: rows[0].id,
      note: null,
      amountOre: 178_454,
      facts: rows[0].facts,
      letter: { lines: ['Hei', 'Takk'] },
      urgent: false,
      doneAt: null,
      status: 'pending',
    });
    expect(one.createdAt.toISOString()).toBe(created.toISOString());
    expect(two).toMatchObject({ note: 'merk', urgent: true, amountOre: 9_007_199_254 });
    expect(two.doneAt?.toISOString()).toBe(done.toISOString());
  });

  it('stores text as given: quotes, backslashes, line breaks, tabs, non-Latin letters and emoji, a long JSON text; a lone surrogate half as UTF-8 has it', async () => {
    const awkward = 'a"b\\c\n\td\u0001 æøå ŋ 𝄞 😀 \'\'; "{\\"x\\"}"';
    const long = {
      trace: Array.from({ length: 200 }, (_, i) => ({ rule: `r"${i}\\`, ok: i % 2 === 0 })),
    };
    await orm.em
      .fork()
      .transactional((em) =>
        insertRows(em, PlainRow, [
          row('T-1', { note: 'a"b\\c\n\td æøå 𝄞', facts: { awkward, long } }),
          row('T-2', { note: 'x\ud800y' }),
        ]),
      );
    const [one, two] = await orm.em
      .fork()
      .find(PlainRow, { reference: { $in: ['T-1', 'T-2'] } }, { orderBy: { reference: 'asc' } });
    expect(one.note).toBe('a"b\\c\n\td æøå 𝄞');
    expect(one.facts).toEqual({ awkward, long });
    expect(two.note).toBe('x\ufffdy');
  });

  it('rolls back with the transaction it ran in', async () => {
    await expect(
      orm.em.fork().transactional(async (em) => {
        await insertRows(em, PlainRow, [row('R-3')]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await orm.em.fork().count(PlainRow, { reference: 'R-3' })).toBe(0);
  });

  it("reports a broken unique key as MikroORM's UniqueConstraintViolationException, storing nothing of the statement", async () => {
    await expect(
      orm.em.fork().transactional((em) => insertRows(em, PlainRow, [row('R-4'), row('R-1')])),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await orm.em.fork().count(PlainRow, { reference: 'R-4' })).toBe(0);
  });

  onPostgres(
    'on PostgreSQL, sends an insert as one named statement whatever the number of rows: parsed and planned once per connection',
    async () => {
      const statements = await orm.em.fork().transactional(async (em) => {
        await insertRows(em, PlainRow, [row('R-6')]);
        await insertRows(em, PlainRow, [row('R-7'), row('R-8'), row('R-9')]);
        return runPlain<{ statement: string }>(
          em,
          'select statement from pg_prepared_statements where statement like \'insert into "plain_rows"%\'',
          [],
        );
      });
      expect(statements.map((s) => s.statement)).toEqual([
        expect.stringMatching(
          /^insert into "plain_rows" \(.*\) select \(r\.v->>0\)::uuid, \(r\.v->>1\)::varchar, .* from jsonb_array_elements\(cast\(\$1 as jsonb\)\) as r\(v\)$/,
        ),
      ]);
    },
  );

  onPostgres(
    'on PostgreSQL, refuses a value longer than its column rather than cutting it short',
    async () => {
      await expect(
        orm.em
          .fork()
          .transactional((em) => insertRows(em, PlainRow, [row('R-10', { note: 'x'.repeat(21) })])),
      ).rejects.toThrow(/too long/);
      expect(await orm.em.fork().count(PlainRow, { reference: 'R-10' })).toBe(0);
    },
  );

  describe('gatherWrites', () => {
    const count = (em: Parameters<typeof runPlain>[0], prefix: string) =>
      runPlain<{ n: unknown }>(em, 'select count(*) as n from plain_rows where reference like ?', [
        `${prefix}%`,
      ]).then(([row]) => Number(row.n));

    it('stores every write made in it, an update seeing the insert before it as one statement at a time would', async () => {
      await orm.em.fork().transactional((em) =>
        gatherWrites(em, async () => {
          await insertRows(em, PlainRow, [row('G-1')]);
          await writePlain(em, 'update plain_rows set note = ? where reference = ?', [
            'skrevet',
            'G-1',
          ]);
          await insertRows(em, PlainRow, [row('G-2'), row('G-3')]);
        }),
      );
      const stored = await orm.em
        .fork()
        .find(PlainRow, { reference: { $like: 'G-%' } }, { orderBy: { reference: 'asc' } });
      expect(stored.map((r) => [r.reference, r.note])).toEqual([
        ['G-1', 'skrevet'],
        ['G-2', null],
        ['G-3', null],
      ]);
    });

    it('sends what it holds before a read in the same transaction, so the read sees it', async () => {
      const seen = await orm.em.fork().transactional((em) =>
        gatherWrites(em, async () => {
          await insertRows(em, PlainRow, [row('H-1'), row('H-2')]);
          return count(em, 'H-');
        }),
      );
      expect(seen).toBe(2);
    });

    it('fails as a whole with the unique key one write broke, and stores none of them', async () => {
      await expect(
        orm.em.fork().transactional((em) =>
          gatherWrites(em, async () => {
            await insertRows(em, PlainRow, [row('K-1')]);
            await insertRows(em, PlainRow, [row('G-1')]);
          }),
        ),
      ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
      expect(await orm.em.fork().count(PlainRow, { reference: 'K-1' })).toBe(0);
    });

    it('refuses to run outside a transaction, where nothing would send what it holds', async () => {
      await expect(gatherWrites(orm.em.fork(), async () => undefined)).rejects.toThrow(
        'inside a transaction',
      );
    });

    onPostgres('on PostgreSQL, sends the writes as one statement, each a WITH clause', async () => {
      const statements = await orm.em.fork().transactional(async (em) => {
        await gatherWrites(em, async () => {
          await writePlain(em, 'update plain_rows set note = ? where reference = ?', [
            'før',
            'G-2',
          ]);
          await insertRows(em, PlainRow, [row('W-1')]);
          await insertRows(em, PlainRow, [row('W-2')]);
        });
        return runPlain<{ statement: string }>(
          em,
          "select statement from pg_prepared_statements where statement like 'with w0 as (%'",
          [],
        );
      });
      expect(statements.map((s) => s.statement)).toContainEqual(
        expect.stringMatching(
          /^with w0 as \(update plain_rows .*\), w1 as \(insert into "plain_rows" .*\), w2 as \(insert into "plain_rows" .*\) select 1$/,
        ),
      );
    });
  });

  it('reads with bound parameters, a quote or a question mark inside a value staying a value', async () => {
    await orm.em.fork().transactional((em) => insertRows(em, PlainRow, [row("R-'?5")]));
    const rows = await runPlain<{ reference: string }>(
      orm.em.fork(),
      'select reference from plain_rows where reference = ? or note = ?',
      ["R-'?5", '?'],
    );
    expect(rows).toEqual([{ reference: "R-'?5" }]);
  });
});
