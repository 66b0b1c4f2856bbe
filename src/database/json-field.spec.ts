import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { openTestOrm } from '../../test/support/test-database';
import { jsonFieldSql } from './json-field';
import { JsonTextType } from './json-text.type';
import { queryRows } from './query-rows';

@Entity({ tableName: 'json_field_rows' })
class JsonFieldRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** A document kept as text (a decision's facts). */
  @Property({ type: JsonTextType })
  facts!: Record<string, unknown>;

  /** A document kept as the dialect's JSON type (an audit entry's payload). */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;
}

/** On SQLite, or on PostgreSQL when TEST_DATABASE_URL names a server. */
describe('jsonFieldSql', () => {
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ orm, close } = await openTestOrm([JsonFieldRow], 1));
    const em = orm.em.fork();
    em.create(JsonFieldRow, {
      facts: { today: '2026-12-06', invoiceType: 'water', nested: { today: 'no' } },
      payload: { by: 'officer-1', actor: null },
    });
    em.create(JsonFieldRow, { facts: { invoiceType: 'waste' }, payload: { actor: 'auditor-2' } });
    await em.flush();
  });
  afterAll(() => close());

  const read = (expression: string, where = '1 = 1', params: unknown[] = []) =>
    queryRows<{ value: string | null }>(
      orm,
      `select ${expression} as value from json_field_rows where ${where} order by value`,
      params,
    ).then((rows) => rows.map((row) => row.value));

  it('reads a top-level field of a text document as text, missing as null', async () => {
    expect(await read(jsonFieldSql(orm, 'facts', 'today', 'text'))).toEqual(
      expect.arrayContaining(['2026-12-06', null]),
    );
    expect(
      await read('id', `${jsonFieldSql(orm, 'facts', 'invoiceType', 'text')} = ?`, ['waste']),
    ).toHaveLength(1);
  });

  it("reads a field of the dialect's JSON column, and coalesces past a JSON null", async () => {
    const actor = ['actor', 'by'].map((key) => jsonFieldSql(orm, 'payload', key, 'jsonb'));
    expect((await read(`coalesce(${actor.join(', ')})`)).sort()).toEqual([
      'auditor-2',
      'officer-1',
    ]);
  });

  it('takes a column behind a table alias', async () => {
    const rows = await queryRows<{ value: string }>(
      orm,
      `select ${jsonFieldSql(orm, 'r.facts', 'invoiceType', 'text')} as value from json_field_rows r`,
      [],
    );
    expect(rows.map((row) => row.value).sort()).toEqual(['waste', 'water']);
  });

  it.each([["today') or ('1"], ['a.b'], ['$'], [''], ['nested today']])(
    'refuses the key %j rather than writing it into the SQL',
    (key) => {
      expect(() => jsonFieldSql(orm, 'facts', key, 'text')).toThrow(/not a plain name/);
    },
  );

  it('refuses a column that is not a plain (optionally qualified) name', () => {
    expect(() => jsonFieldSql(orm, 'facts; drop table x', 'today', 'text')).toThrow(
      /not a plain name/,
    );
  });
});
