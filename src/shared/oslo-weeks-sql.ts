import type { OsloWeek } from './oslo-weeks';

/**
 * Weeks as an SQL common table expression `<name>(idx, starts, ends)`, for counting rows per week
 * with a range join on an indexed date column (`join t on t.at >= w.starts and t.at < w.ends`):
 * each week is one index range scan, and no row is compared with every week as a CASE would. Plain
 * SQL on SQLite and PostgreSQL alike, which group by Oslo's weeks differently or (SQLite) not at all.
 * `param` makes an instant the driver's parameter (`dateParam`); `cast` types the values where the
 * database must know it (`timestamptz` on PostgreSQL; SQLite compares the stored milliseconds).
 */
export function weeksCte(
  name: string,
  weeks: readonly OsloWeek[],
  param: (instant: Date) => unknown,
  cast?: string,
): { sql: string; params: unknown[] } {
  if (!/^[a-z_]+$/.test(name)) throw new TypeError(`not a plain SQL name: ${name}`);
  if (cast !== undefined && !/^[a-z]+$/.test(cast)) throw new TypeError(`not a type: ${cast}`);
  if (weeks.length === 0) throw new RangeError('no weeks');
  const value = cast ? `cast(? as ${cast})` : '?';
  const rows = weeks.map((w) => `(${w.index}, ${value}, ${value})`).join(', ');
  return {
    sql: `${name}(idx, starts, ends) as (values ${rows})`,
    params: weeks.flatMap((w) => [param(w.start), param(w.end)]),
  };
}

/** `?, ?, ?` for an `in (…)` list of `count` values (at least one). */
export function placeholders(count: number): string {
  if (count < 1) throw new RangeError('an in-list needs at least one value');
  return Array.from({ length: count }, () => '?').join(', ');
}
