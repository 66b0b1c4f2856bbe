import type { MikroORM } from '@mikro-orm/core';
import { AbstractSqlConnection, SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';
import type { Pool } from 'pg';
import { bindable, runPrepared, toPreparedText } from './prepared-statements';
import { readLaneOf } from './read-lane';

/**
 * A fresh SQL entity manager, for reads through the query builder without entity mapping
 * (`execute('all')`): hydrating entities (with a change-tracking snapshot of every JSON document)
 * costs several times the query itself. The reads made on every request use `queryRows` instead.
 */
export function sqlEm(orm: MikroORM): SqlEntityManager {
  const em = orm.em.fork();
  if (!(em instanceof SqlEntityManager)) throw new Error('minside-faktura needs an SQL database');
  return em;
}

/**
 * A JSON column as such a query returns it: text on SQLite and for `JsonTextType` columns, already
 * parsed for PostgreSQL's json and jsonb columns. Only for columns that hold an object or an
 * array, which every JSON column of ours does.
 */
export function fromJsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Rows of one plain SQL read (`?` placeholders), as the driver returns them: column names as in
 * the table, JSON as `fromJsonColumn` takes it, dates as `rowDate` takes them. For the reads made
 * on every page and decision only: measured on the resident's invoice query, the query builder
 * costs ~0.5 ms of CPU per query and this ~0.2 ms (a bare `pg` client ~0.16 ms), and each page
 * makes two or three of them. Everything else uses entities or the query builder.
 */
export async function queryRows<T extends object>(
  orm: MikroORM,
  sql: string,
  params: readonly unknown[],
  options: QueryRowsOptions = {},
): Promise<T[]> {
  const connection = orm.em.getConnection();
  if (!(connection instanceof AbstractSqlConnection))
    throw new Error('minside-faktura needs an SQL database');
  // On PostgreSQL, sent as a named statement with its parameters bound (parsed and planned once
  // per connection, see prepared-statements.ts); SQLite's driver already caches its statements.
  const statement = isPostgres(connection) && bindable(params) ? toPreparedText(sql) : null;
  if (!statement) return connection.execute<T[]>(sql, [...params], 'all');
  const pool = (await connection.getNativeClient()) as Pool;
  // Errors as `connection.execute` gives them: the driver's own, not converted.
  if (options.short) return readLaneOf(pool).rows<T & Record<string, unknown>>(statement, params);
  return runPrepared<T & Record<string, unknown>>(pool, statement, params);
}

export interface QueryRowsOptions {
  /**
   * A read that takes milliseconds, made on every page or decision: on PostgreSQL it shares a
   * pipelined connection with the other such reads (read-lane.ts), so it must never be one that
   * could keep those behind it waiting (a search, a report, a whole table, or a write).
   */
  short?: boolean;
}

/** The portal runs on PostgreSQL or SQLite (orm.config.ts). */
function isPostgres(connection: AbstractSqlConnection): boolean {
  return !(connection.getPlatform() instanceof SqlitePlatform);
}

/** A Date as a parameter of `queryRows`: a timestamp on PostgreSQL, milliseconds on SQLite. */
export function dateParam(orm: MikroORM, date: Date): unknown {
  return orm.em.getPlatform().processDateProperty(date);
}

/** A datetime column as `queryRows` returns it (a Date on PostgreSQL, milliseconds on SQLite). */
export function rowDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const ms = Number(value);
  return Number.isFinite(ms) ? new Date(ms) : new Date(String(value));
}
