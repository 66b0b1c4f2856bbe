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

/** Writes whose text is fixed per table and batch size: sent as named statements on PostgreSQL. */
const NAMED = /^\s*(insert|update)\b/i;

/**
 * The statement as the driver takes it: SQLite takes `?` as it is; PostgreSQL gets `$n`, and an
 * insert or update (no result rows, so no plan PostgreSQL could refuse as stale after a migration)
 * as a named statement, parsed and planned once per connection and afterwards only bound and
 * executed. Kysely hands `sql` to `pg`'s `client.query` unchanged, which takes a `{ name, text }`
 * query config there (plain-statements.spec.ts checks the statement is prepared).
 */
function forPlatform(platform: Platform, sql: string): string {
  if (platform instanceof SqlitePlatform) return sql;
  const converted = toPreparedText(sql);
  if (!converted) throw new Error(`statement cannot be sent with bound parameters: ${sql}`);
  if (!NAMED.test(sql) || /\breturning\b/i.test(sql)) return converted.text;
  const { name, text } = converted;
  return { name, text, toString: () => text } as unknown as string;
}

/**
 * Runs one statement (`?` placeholders) in `em`'s transaction, or on its own outside one. Errors
 * come as MikroORM's exceptions (UniqueConstraintViolationException and the rest), as from
 * `em.insertMany`.
 */
export async function runPlain<T extends object = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const connection = em.getConnection();
  if (!(connection instanceof AbstractSqlConnection))
    throw new Error('minside-faktura needs an SQL database');
  const executor: Kysely<unknown> =
    em.getTransactionContext<Kysely<unknown>>() ?? connection.getClient();
  const text = forPlatform(em.getPlatform(), sql);
  const query = { ...CompiledQuery.raw('', [...params]), sql: text };
  try {
    const result = await executor.executeQuery<T>(query);
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

interface InsertShape {
  table: string;
  columns: EntityProperty[];
  /** Statement text per row count. */
  texts: Map<number, string>;
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
    shape = { table: meta.tableName, columns, texts: new Map() };
    shapes.set(meta, shape);
  }
  return shape;
}

function insertText(shape: InsertShape, rows: number): string {
  let text = shape.texts.get(rows);
  if (!text) {
    const row = `(${shape.columns.map(() => '?').join(', ')})`;
    text = `insert into "${shape.table}" (${shape.columns.map((c) => `"${c.fieldNames[0]}"`).join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`;
    // Batches are at most a few dozen rows: a text per size, kept.
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
 * only ever inserted here.
 */
export async function insertRows<T extends object>(
  em: EntityManager,
  entityName: EntityName<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const shape = shapeOf(em, entityName as EntityName<object>);
  const platform = em.getPlatform();
  const params: unknown[] = [];
  for (const row of rows) {
    for (const column of shape.columns)
      params.push(databaseValue(column, (row as Record<string, unknown>)[column.name], platform));
  }
  await runPlain(em, insertText(shape, rows.length), params);
}
