import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';

/**
 * PostgreSQL named (prepared) statements for the plain reads made on every page and decision.
 *
 * Why: MikroORM formats parameters into the SQL text, so every read reached PostgreSQL as new text
 * to parse and plan; measured under the decision load that was 18% of PostgreSQL's CPU (issue 18).
 * A named statement is parsed and planned once per connection and then only bound and executed.
 * Only `queryRows` uses this; writes and the query builder go through MikroORM as before.
 */

/** A statement as PostgreSQL takes it: `$n` placeholders and a stable name for the text. */
export interface PreparedText {
  name: string;
  text: string;
}

/** Distinct texts named; beyond this (text built per call, a bug) reads go unnamed, not leak. */
const MAX_NAMED = 1_000;
const named = new Map<string, PreparedText | null>();

/**
 * `?` placeholders → `$1…$n`, outside quoted strings and identifiers. Null when the text can't
 * be named safely: `??` (MikroORM's identifier placeholder) or a `?` PostgreSQL would read as a
 * JSON operator right after another character we can't tell apart.
 */
export function toPreparedText(sql: string): PreparedText | null {
  if (named.has(sql)) return named.get(sql) ?? null;
  const prepared = convert(sql);
  if (named.size < MAX_NAMED) named.set(sql, prepared);
  return prepared;
}

function convert(sql: string): PreparedText | null {
  let out = '';
  let n = 0;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      out += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c === '?') {
      if (sql[i + 1] === '?' || sql[i + 1] === '|' || sql[i + 1] === '&') return null;
      out += `$${++n}`;
      continue;
    }
    out += c;
  }
  if (quote) return null;
  const name = `mf_${createHash('sha1').update(out).digest('hex').slice(0, 20)}`;
  return { name, text: out };
}

/** Whether pg can send these values as they are (arrays are expanded by MikroORM, not by pg). */
export function bindable(params: readonly unknown[]): boolean {
  return params.every((p) => !Array.isArray(p) && !(p instanceof Uint8Array));
}

/**
 * SQLSTATE 0A000 ("cached plan must not change result type"): a migration changed a table under
 * a connection that had the statement prepared. PostgreSQL keeps refusing that statement on that
 * connection, so the read is sent once more, unnamed, and the connection is then closed rather
 * than given back: the pool opens a fresh one, on which the statement is prepared anew.
 */
export const CACHED_PLAN_STALE = '0A000';

/**
 * Runs a named statement on a connection of the pool. `pool.connect()` without a callback is the
 * path on which the portal types connection errors (`typeConnectionErrors`), so a lost database
 * still reads as "unavailable" here as it does through MikroORM.
 */
export async function runPrepared<T extends QueryResultRow>(
  pool: Pool,
  statement: PreparedText,
  params: readonly unknown[],
): Promise<T[]> {
  const client = await pool.connect();
  let discard: Error | boolean = false;
  try {
    try {
      const result = await client.query<T>({ ...statement, values: [...params] });
      return result.rows;
    } catch (error) {
      if ((error as { code?: unknown }).code !== CACHED_PLAN_STALE) throw error;
      discard = true;
      const result = await client.query<T>(statement.text, [...params]);
      return result.rows;
    }
  } catch (error) {
    // A connection that failed mid-query is not given back for reuse.
    if (!(error as { code?: unknown }).code) discard = error as Error;
    throw error;
  } finally {
    client.release(discard);
  }
}
