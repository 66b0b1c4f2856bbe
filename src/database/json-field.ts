import type { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';

/** A top-level key of a stored JSON document: written into the SQL text, so only a plain name. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SQL that reads one top-level field of a JSON column as text, in the database's own dialect:
 * `payload->>'actor'` for a jsonb column and `cast(facts as jsonb)->>'today'` for a JSON document
 * kept as text (`JsonTextType`) on PostgreSQL; `json_extract(facts, '$.today')` on SQLite, where
 * both are text. `column` and `key` are the caller's constants, never request input; a key that is
 * not a plain name is refused rather than quoted.
 */
export function jsonFieldSql(
  orm: MikroORM,
  column: string,
  key: string,
  stored: 'jsonb' | 'text',
): string {
  if (!KEY.test(key) || !KEY.test(column.replace(/^[A-Za-z_][A-Za-z0-9_]*\./, '')))
    throw new Error(`jsonFieldSql: ${JSON.stringify(`${column}.${key}`)} is not a plain name`);
  if (orm.em.getPlatform() instanceof BasePostgreSqlPlatform)
    return stored === 'jsonb' ? `${column}->>'${key}'` : `cast(${column} as jsonb)->>'${key}'`;
  return `json_extract(${column}, '$.${key}')`;
}
