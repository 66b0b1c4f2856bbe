import { type OsloWeek, osloOffsetSpans } from './oslo-weeks';

const WEEK_MS = 7 * 86_400_000;

/**
 * An SQL expression for the index (0 for the first) of the Oslo week that a timestamp column's
 * value falls in, for rows within `weeks`: the instant on Oslo's wall clock (UTC plus the offset
 * in force, picked by a CASE over the clock changes in the period) less the first Monday 00:00,
 * in whole weeks. Plain arithmetic, so rows are grouped by it straight off one index range scan on
 * both databases: SQLite knows no time zones, and on PostgreSQL `date_part` arithmetic measured
 * as fast as `date_trunc('week', … at time zone 'Europe/Oslo')` (and ~3 × faster than
 * `extract`, which is numeric). `param` makes an instant the driver's parameter (`dateParam`).
 */
export function osloWeekIndexSql(
  column: string,
  weeks: readonly OsloWeek[],
  dialect: 'postgresql' | 'sqlite',
  param: (instant: Date) => unknown,
): { sql: string; params: unknown[] } {
  if (!/^[a-z_]+(\.[a-z_]+)?$/.test(column)) throw new TypeError(`not a plain column: ${column}`);
  if (weeks.length === 0) throw new RangeError('no weeks');
  const spans = osloOffsetSpans(weeks[0].start, weeks.at(-1)!.end);
  const offset =
    spans.length === 1
      ? String(spans[0].offsetMs)
      : `case ${spans
          .slice(1)
          .map((span, i) => `when ${column} < ? then ${spans[i].offsetMs}`)
          .join(' ')} else ${spans.at(-1)!.offsetMs} end`;
  const firstMonday = Date.parse(`${weeks[0].monday}T00:00:00Z`);
  const ms = dialect === 'postgresql' ? `date_part('epoch', ${column}) * 1000` : column;
  const numerator = `${ms} + ${offset} - ${firstMonday}`;
  return {
    // SQLite divides whole numbers as whole numbers; the values are never negative here.
    sql:
      dialect === 'postgresql'
        ? `cast(floor((${numerator}) / ${WEEK_MS}) as integer)`
        : `((${numerator}) / ${WEEK_MS})`,
    params: spans.slice(1).map((span) => param(span.from)),
  };
}

/** `?, ?, ?` for an `in (…)` list of `count` values (at least one). */
export function placeholders(count: number): string {
  if (count < 1) throw new RangeError('an in-list needs at least one value');
  return Array.from({ length: count }, () => '?').join(', ');
}
