import { MikroORM } from '@mikro-orm/core';
import { queryRows } from '../../src/database';
import { createMunicipality } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

// The plain reads of every page and decision (`queryRows`) reach PostgreSQL as named statements,
// parsed and planned once per connection, with the same rows, types and errors as before.
let t: TestApp;
let orm: MikroORM;
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

beforeAll(async () => {
  t = await startTestApp();
  orm = t.app.get(MikroORM);
});

afterAll(async () => {
  await t?.close();
});

describe('queryRows', () => {
  onPostgres('sends its read as a named statement', async () => {
    // The statement is parsed (and so listed) before it runs: it finds itself.
    const rows = await queryRows<{ name: string; statement: string }>(
      orm,
      `select name, statement from pg_prepared_statements where statement like ? and name like 'mf\\_%'`,
      ['%pg_prepared_statements where statement like $1%'],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toMatch(/^mf_[0-9a-f]{20}$/);
  });

  onPostgres(
    'reads again, unnamed, when a migration changed the table under the plan',
    async () => {
      const sql = (q: string) => orm.em.getConnection().execute(q, [], 'run');
      await sql('drop table if exists prepared_reads_probe');
      await sql('create table prepared_reads_probe (id int, v int)');
      await sql('insert into prepared_reads_probe values (1, 2)');
      const read = () =>
        queryRows<{ v: unknown }>(orm, 'select * from prepared_reads_probe where id = ?', [1]);
      expect(await read()).toEqual([{ id: 1, v: 2 }]);
      // One after another, the pool hands back the connection that has the statement prepared.
      await sql('alter table prepared_reads_probe alter column v type text');
      expect(await read()).toEqual([{ id: 1, v: '2' }]);
      // The connection with the stale plan was closed; the next read is prepared afresh.
      expect(await read()).toEqual([{ id: 1, v: '2' }]);
      await sql('drop table prepared_reads_probe');
    },
  );

  it('returns rows with their values bound, on either database', async () => {
    const municipality = await createMunicipality(t.em());
    const quoted = `it's "quoted" ?`;
    const rows = await queryRows<{ id: string; q: string; n: number | string }>(
      orm,
      `select id, ? as q, ? as n from municipalities where id = ? and '?' = '?'`,
      [quoted, 7, municipality.id],
    );
    expect(rows).toEqual([{ id: municipality.id, q: quoted, n: expect.anything() }]);
    expect(Number(rows[0].n)).toBe(7);
  });

  it('fails a bad read with the error the unprepared path gives', async () => {
    const sql = 'select nope from municipalities where id = ?';
    const direct = await orm.em
      .getConnection()
      .execute(sql, ['x'])
      .catch((e: unknown) => e);
    const prepared = await queryRows(orm, sql, ['x']).catch((e: unknown) => e);
    // The same driver error class either way (SQLite's or pg's; not this realm's Error).
    expect(direct).toBeDefined();
    expect((prepared as object | undefined)?.constructor).toBe((direct as object).constructor);
    expect((prepared as { code?: unknown }).code).toBe((direct as { code?: unknown }).code);
  });
});
