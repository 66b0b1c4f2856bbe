import type { MikroORM } from '@mikro-orm/core';
import { SqlEntityManager } from '@mikro-orm/sql';

/**
 * A fresh SQL entity manager, for the hot read paths that use the query builder and skip entity
 * mapping (`execute('all')`): they are read on every request, and hydrating entities (with a
 * change-tracking snapshot of every JSON document) costs several times the query itself.
 */
export function sqlEm(orm: MikroORM): SqlEntityManager {
  const em = orm.em.fork();
  if (!(em instanceof SqlEntityManager)) throw new Error('minside-faktura needs an SQL database');
  return em;
}

/**
 * A JSON column as such a query returns it: already parsed on PostgreSQL, text on SQLite. Only
 * for columns that hold an object or an array, which every JSON column of ours does.
 */
export function fromJsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
