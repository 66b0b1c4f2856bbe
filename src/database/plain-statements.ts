import {
  type EntityManager,
  type EntityName,
  type EntityProperty,
  type Platform,
  ReferenceKind,
} from '@mikro-orm/core';
import { AbstractSqlConnection, SqlitePlatform } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';
import { toPreparedText } from './prepared-statements';

/**
 * Plain statements with bound parameters, in the caller's transaction: for the rows a decision
 * commits (the request, its audit entry, its write-back job), every one of which went through
 * MikroORM's unit of work and query builder before. Measured on PostgreSQL (issue 18), storing a
 * batch of eight decisions cost ~0.6 ms of the portal's CPU per decision that way, most of it in
 * building, converting and formatting each value into the SQL text (which PostgreSQL then had to
 * parse again, 5–8 kB of literals per decision); here the text is fixed for a table and batch
 * size and the values travel as parameters. The rows are what MikroORM would have written:
 * columns and conversions come from the entity's metadata (custom types, dates per platform).
 */

/**
 * The statement as the driver takes it: SQLite takes `?` as it is; PostgreSQL gets `$n`, and a
 * write (no result rows, so no plan PostgreSQL could refuse as stale after a migration) as a
 * named statement, parsed and planned once per connection and afterwards only bound and executed.
 * Kysely hands `sql` to `pg`'s `client.query` unchanged, which takes a `{ name, text }` query
 * config there (plain-statements.spec.ts checks the statement is prepared).
 */
function forPlatform(platform: Platform, sql: string, named: boolean): string {
  if (platform instanceof SqlitePlatform) return sql;
  const converted = toPreparedText(sql);
  if (!converted) throw new Error(`statement cannot be sent with bound parameters: ${sql}`);
  if (!named) return converted.text;
  const { name, text } = converted;
  return { name, text, toString: () => text } as unknown as string;
}

async function execute<T extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  named: boolean,
): Promise<T[]> {
  const connection = em.getConnection();
  if (!(connection instanceof AbstractSqlConnection))
    throw new Error('minside-faktura needs an SQL database');
  const executor: Kysely<unknown> =
    em.getTransactionContext<Kysely<unknown>>() ?? connection.getClient();
  const query = {
    ...CompiledQuery.raw('', [...params]),
    sql: forPlatform(em.getPlatform(), sql, named),
  };
  try {
    const result = await executor.executeQuery<T>(query);
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

interface Write {
  sql: string;
  params: readonly unknown[];
}

/** Writes gathered per transaction by `gatherWrites`, in the order they were made. */
const gathered = new WeakMap<object, Write[]>();

/**
 * Runs `work` in `em`'s transaction with the writes it makes through `insertRows` and
 * `writePlain` held back and sent at its end together: on PostgreSQL as ONE statement (each write
 * a data-modifying WITH clause; all of them run, with one snapshot, and fail together), on SQLite
 * one after another in the order made. A read through `runPlain` meanwhile sends what is held
 * first, so it sees every write made before it. What this saves is round trips: in a MikroORM
 * transaction a batch of decisions is stored in four (begin, the audit head's lock, the writes,
 * commit) instead of seven, and on the commit lane (`commitTogether`) in two.
 *
 * Only writes through `insertRows` and `writePlain` are held, and only in this transaction (not in
 * a savepoint opened inside it): whatever MikroORM sends itself meanwhile goes at once, ahead of
 * them, so `work` must not make such a statement depend on a held write.
 */
export async function gatherWrites<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  const key = em.getTransactionContext<object>();
  if (!key) throw new TypeError('gatherWrites must run inside a transaction');
  if (gathered.has(key)) return work();
  gathered.set(key, []);
  try {
    const result = await work();
    await sendGathered(em, key);
    return result;
  } finally {
    gathered.delete(key);
  }
}

/**
 * As `gatherWrites`, for a transaction that sends its commit right behind the held writes (the
 * commit lane, commit-lane.ts): at the end `finish` is given the function that sends what is
 * held, and commits. That function hands the statement to the driver before it returns (it has
 * nothing to wait for first), so a commit made right after it goes out in the same write.
 */
export async function gatherWritesThen<T>(
  em: EntityManager,
  work: () => Promise<T>,
  finish: (sendHeld: () => Promise<void>) => Promise<void>,
): Promise<T> {
  const key = em.getTransactionContext<object>();
  if (!key) throw new TypeError('gatherWritesThen must run inside a transaction');
  if (gathered.has(key)) throw new TypeError('gatherWritesThen cannot run inside gatherWrites');
  gathered.set(key, []);
  try {
    const result = await work();
    await finish(() => sendGathered(em, key));
    return result;
  } finally {
    gathered.delete(key);
  }
}

async function sendGathered(em: EntityManager, key: object): Promise<void> {
  const writes = gathered.get(key);
  if (!writes || writes.length === 0) return;
  gathered.set(key, []);
  if (writes.length === 1 || em.getPlatform() instanceof SqlitePlatform) {
    for (const write of writes) await execute(em, write.sql, write.params, true);
    return;
  }
  // `?` placeholders are positional: the parameters in the order of the clauses.
  const sql = `with ${writes.map((w, i) => `w${i} as (${w.sql})`).join(', ')} select 1`;
  await execute(
    em,
    sql,
    writes.flatMap((w) => w.params),
    true,
  );
}

/**
 * Runs one read (`?` placeholders) in `em`'s transaction, or on its own outside one; writes held
 * back by `gatherWrites` are sent first. Errors come as MikroORM's exceptions
 * (UniqueConstraintViolationException and the rest), as from `em.insertMany`.
 */
export async function runPlain<T extends object = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const key = em.getTransactionContext<object>();
  if (key) await sendGathered(em, key);
  return execute<T>(em, sql, params, false);
}

/**
 * One insert or update with bound parameters and no result, in `em`'s transaction: held back
 * while `gatherWrites` runs, else sent at once as a named statement on PostgreSQL.
 *
 * The clauses of one PostgreSQL statement share a snapshot: an UPDATE there would not see a row
 * an INSERT beside it adds. So anything but an INSERT first sends what is held, and is then held
 * itself at the head of the next statement, where it sees every write made before it, as it
 * would have one statement at a time. Inserts only meet each other in unique indexes, which
 * PostgreSQL checks as rows go in, within one statement too.
 */
export async function writePlain(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<void> {
  const key = em.getTransactionContext<object>();
  if (!key || !gathered.has(key)) return void (await execute(em, sql, params, true));
  if (!/^\s*insert\b/i.test(sql)) await sendGathered(em, key);
  gathered.get(key)!.push({ sql, params });
}

interface InsertShape {
  table: string;
  columns: EntityProperty[];
  /** The quoted column names, in the order of `columns`. */
  names: string;
  /** SQLite: the statement text per row count. */
  texts: Map<number, string>;
  /** PostgreSQL: one text whatever the row count (see `insertText`). */
  fromJson: string;
}
const shapes = new WeakMap<object, InsertShape>();

function shapeOf(em: EntityManager, entityName: EntityName<object>): InsertShape {
  const meta = em.getMetadata().get(entityName);
  let shape = shapes.get(meta);
  if (!shape) {
    const columns = meta.props.filter(
      (prop) =>
        prop.kind === ReferenceKind.SCALAR &&
        prop.persist !== false &&
        prop.fieldNames.length === 1,
    );
    const names = columns.map((c) => `"${c.fieldNames[0]}"`).join(', ');
    // Each value as text, cast to the column's type without its length: an explicit cast to
    // varchar(n) would cut a long value short, where the insert into the column refuses it.
    const values = columns.map(
      (c, i) => `(r.v->>${i})::${c.columnTypes[0].replace(/\(.*\)$/, '')}`,
    );
    shape = {
      table: meta.tableName,
      columns,
      names,
      texts: new Map(),
      fromJson: `insert into "${meta.tableName}" (${names}) select ${values.join(', ')} from jsonb_array_elements(cast(? as jsonb)) as r(v)`,
    };
    shapes.set(meta, shape);
  }
  return shape;
}

/**
 * On PostgreSQL the rows are one JSON parameter (an array of rows, each an array of values) taken
 * apart by `jsonb_array_elements`: the text is the same for any number of rows, so each table's
 * insert is one named statement per connection, and so is each combination `gatherWrites` sends
 * (a text per batch size would leave every connection holding thousands). The parameter is made
 * by `JSON.stringify`, native code; an array per column (`unnest`, as before) had `pg` escape
 * every value into an array literal in JavaScript, ~4 % of the portal's CPU under the decision
 * load (issue 18). On SQLite, which keeps no statements across calls, plain VALUES rows.
 */
function insertText(shape: InsertShape, rows: number, postgres: boolean): string {
  if (postgres) return shape.fromJson;
  let text = shape.texts.get(rows);
  if (!text) {
    const row = `(${shape.columns.map(() => '?').join(', ')})`;
    text = `insert into "${shape.table}" (${shape.names}) values ${Array.from({ length: rows }, () => row).join(', ')}`;
    if (shape.texts.size < 128) shape.texts.set(rows, text);
  }
  return text;
}

/** A property's value as MikroORM writes it: custom types converted, dates per platform. */
function databaseValue(prop: EntityProperty, value: unknown, platform: Platform): unknown {
  if (value === undefined) value = prop.default;
  if (value === undefined || value === null) return null;
  if (prop.customType)
    value = prop.customType.convertToDatabaseValue(value, platform, {
      key: prop.name,
      mode: 'query-data',
    });
  if (value instanceof Date) return platform.processDateProperty(value);
  if (typeof value === 'boolean') return platform instanceof SqlitePlatform ? Number(value) : value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

/**
 * Inserts rows (entities, or plain objects with every property the table needs) in one statement,
 * in `em`'s transaction. Nothing enters the identity map: like `em.insertMany`, for rows that are
 * only ever inserted here. `asStored` names properties whose values are given as the database
 * holds them already (a payload serialized once for its hash and for the row).
 */
export async function insertRows<T extends object>(
  em: EntityManager,
  entityName: EntityName<T>,
  rows: readonly Partial<T>[],
  asStored: readonly (keyof T & string)[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const shape = shapeOf(em, entityName as EntityName<object>);
  const platform = em.getPlatform();
  const postgres = !(platform instanceof SqlitePlatform);
  const value = (column: EntityProperty, row: Partial<T>) => {
    const given = (row as Record<string, unknown>)[column.name];
    return asStored.includes(column.name as keyof T & string)
      ? given
      : databaseValue(column, given, platform);
  };
  const params: unknown[] = postgres
    ? [
        JSON.stringify(
          rows.map((row) => shape.columns.map((column) => jsonSafe(value(column, row)))),
        ),
      ]
    : rows.flatMap((row) => shape.columns.map((column) => value(column, row)));
  await writePlain(em, insertText(shape, rows.length, postgres), params);
}

/**
 * A value for the JSON parameter as `pg` would have sent it bound: a string with a lone surrogate
 * half (which JSON escapes and PostgreSQL's JSON then refuses) as UTF-8 has it, the half replaced
 * by U+FFFD.
 */
function jsonSafe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value as string & { isWellFormed(): boolean; toWellFormed(): string };
  return text.isWellFormed() ? value : text.toWellFormed();
}
