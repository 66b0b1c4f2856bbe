import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { MikroORM } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Client } from 'pg';
import { openTestOrm } from '../../test/support/test-database';
import { unavailableKind } from './database-unavailable';
import { queryRows } from './query-rows';

/** What only PostgreSQL has: on SQLite a short read is any other read. */
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

@Entity({ tableName: 'lane_rows' })
class LaneRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'integer' })
  n!: number;

  @Property({ type: 'datetime' })
  at: Date = new Date('2026-12-06T10:11:12.345Z');
}

describe('short reads (the read lane)', () => {
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ orm, close } = await openTestOrm([LaneRow], 4));
    const em = orm.em.fork();
    for (let n = 0; n < 5; n++) em.create(LaneRow, { n, at: new Date(Date.UTC(2026, 11, 6, n)) });
    await em.flush();
  });
  afterAll(() => close());

  const short = <T extends object>(sql: string, params: unknown[]) =>
    queryRows<T>(orm, sql, params, { short: true });

  it('returns the rows, with the types, a read on its own connection returns', async () => {
    const sql = 'select id, n, at from lane_rows where n >= ? order by n';
    const [lane, pooled] = await Promise.all([
      short<LaneRow>(sql, [2]),
      queryRows<LaneRow>(orm, sql, [2]),
    ]);
    expect(lane).toEqual(pooled);
    expect(lane.map((r) => Number(r.n))).toEqual([2, 3, 4]);
  });

  it('gives its connection back between reads one at a time, without piling anything up on it', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 30; i++)
        expect((await short<{ i: unknown }>('select ? as i', [i])).map((r) => Number(r.i))).toEqual(
          [i],
        );
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).toEqual([]);
  });

  it('answers each of many reads made together with its own rows, whatever their statements', async () => {
    const reads = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? short<{ n: unknown }>('select n from lane_rows where n = ?', [i % 5]).then((rows) =>
            rows.map((r) => `row ${Number(r.n)}`),
          )
        : i % 3 === 1
          ? short<{ echo: string }>('select ? as echo', [`read ${i}`]).then((rows) =>
              rows.map((r) => r.echo),
            )
          : short<{ c: unknown }>('select count(*) as c from lane_rows where n < ?', [i % 5]).then(
              (rows) => rows.map((r) => `count ${Number(r.c)}`),
            ),
    );
    const answers = await Promise.all(reads);
    answers.forEach((answer, i) =>
      expect(answer).toEqual([
        i % 3 === 0 ? `row ${i % 5}` : i % 3 === 1 ? `read ${i}` : `count ${i % 5}`,
      ]),
    );
  });

  onPostgres(
    'sends the reads of one turn on at most two connections, in one write each',
    async () => {
      await short('select 1 as warm', []);
      const writes = [
        jest.spyOn(Socket.prototype as unknown as { _write(): void }, '_write'),
        jest.spyOn(Socket.prototype as unknown as { _writev(): void }, '_writev'),
      ];
      try {
        const pids = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            short<{ pid: number }>('select pg_backend_pid() as pid, ? as i', [i]),
          ),
        );
        expect(new Set(pids.map(([row]) => row.pid)).size).toBeLessThanOrEqual(2);
        const sent = writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
        expect(sent).toBeGreaterThanOrEqual(1);
        expect(sent).toBeLessThanOrEqual(2);
      } finally {
        for (const spy of writes) spy.mockRestore();
      }
    },
  );

  onPostgres('fails a bad read alone: the reads sent beside it are answered', async () => {
    const [bad, good, other] = await Promise.allSettled([
      short('select 1 / (n - n) as boom from lane_rows where n = ?', [1]),
      short<{ echo: string }>('select ? as echo', ['fine']),
      short<{ n: unknown }>('select n from lane_rows where n = ?', [3]),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
    expect(good).toEqual({ status: 'fulfilled', value: [{ echo: 'fine' }] });
    expect(other.status).toBe('fulfilled');
  });

  onPostgres(
    'fails a read whose connection is lost as the database being unavailable; the next read gets a new connection',
    async () => {
      const killer = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await killer.connect();
      try {
        const read = short('select pg_sleep(5) as slept_in_lane where ? = ?', [1, 1]);
        let killed = 0;
        for (let tries = 0; killed === 0 && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const { rows } = await killer.query<{ pid: number }>(
            `select pid from pg_stat_activity where query like 'select pg_sleep(5) as slept_in_lane%' and pid <> pg_backend_pid()`,
          );
          for (const { pid } of rows) await killer.query('select pg_terminate_backend($1)', [pid]);
          killed = rows.length;
        }
        expect(killed).toBe(1);
        expect(unavailableKind(await read.catch((error: unknown) => error))).toBe('connection');
      } finally {
        await killer.end();
      }
      expect(await short<{ echo: string }>('select ? as echo', ['again'])).toEqual([
        { echo: 'again' },
      ]);
    },
  );

  onPostgres('reads again, unnamed, when a migration changed a table under the plan', async () => {
    const sql = (q: string) => orm.em.getConnection().execute(q, [], 'run');
    await sql('create table lane_probe (id int, v int)');
    await sql('insert into lane_probe values (1, 2)');
    const read = () => short<{ v: unknown }>('select * from lane_probe where id = ?', [1]);
    expect(await read()).toEqual([{ id: 1, v: 2 }]);
    await sql('alter table lane_probe alter column v type text');
    expect(await read()).toEqual([{ id: 1, v: '2' }]);
    expect(await read()).toEqual([{ id: 1, v: '2' }]);
    await sql('drop table lane_probe');
  });

  onPostgres(
    "closes its connections with the ORM's, after the reads under way have ended",
    async () => {
      const { orm: other, close: closeOther } = await openTestOrm([LaneRow], 1);
      const [{ db }] = await queryRows<{ db: string }>(
        other,
        'select current_database() as db',
        [],
        { short: true },
      );
      const watcher = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await watcher.connect();
      try {
        const backends = async () =>
          Number(
            (
              await watcher.query<{ c: string }>(
                'select count(*) as c from pg_stat_activity where datname = $1',
                [db],
              )
            ).rows[0].c,
          );
        const slow = queryRows<{ done: boolean }>(
          other,
          'select true as done from pg_sleep(0.2) where ? = ?',
          [1, 1],
          { short: true },
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await backends()).toBeGreaterThanOrEqual(1);
        const closing = other.close();
        expect(await slow).toEqual([{ done: true }]);
        await closing;
        // A backend leaves pg_stat_activity a moment after its client has gone.
        let left = await backends();
        for (let tries = 0; left > 0 && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          left = await backends();
        }
        expect(left).toBe(0);
      } finally {
        await watcher.end();
        await closeOther().catch(() => undefined);
      }
    },
  );
});
