import { addDays, fromDayNumber, type IsoDate, osloDateAt, toDayNumber } from './calendar-date';

/**
 * An ISO 8601 week (Monday to Sunday) on Oslo's wall calendar, as the dashboards count: from
 * Monday 00:00 in Oslo to the next Monday 00:00, so a week with a clock change lasts 167 or 169
 * hours. Statistics group rows by these instants rather than by a database's own date functions,
 * which SQLite lacks for time zones.
 */
export interface OsloWeek {
  /** 0 for the oldest week of a list, counting up. */
  index: number;
  monday: IsoDate;
  /** `2026-W50`: the ISO week-numbering year and week. */
  label: string;
  year: number;
  week: number;
  start: Date;
  end: Date;
}

/** The instant an Oslo calendar day begins (Oslo changes its clocks at 02:00/03:00, never at midnight). */
export function osloMidnight(date: IsoDate): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const offsetHours of [2, 1]) {
    const candidate = new Date(utcMidnight - offsetHours * 3_600_000);
    if (osloDateAt(candidate) === date) return candidate;
  }
  throw new RangeError(`no Oslo midnight for ${date}`);
}

/** Monday = 0 … Sunday = 6 (1970-01-01, day 0, was a Thursday). */
function weekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** The ISO week-numbering year and week of a date: the week belongs to the year of its Thursday. */
export function isoWeekOf(date: IsoDate): { year: number; week: number } {
  const day = toDayNumber(date);
  const thursday = fromDayNumber(day - weekday(day) + 3);
  const year = Number(thursday.slice(0, 4));
  const firstOfYear = toDayNumber(`${thursday.slice(0, 4)}-01-01`);
  return { year, week: Math.floor((toDayNumber(thursday) - firstOfYear) / 7) + 1 };
}

function weekStartingOn(monday: IsoDate, index: number): OsloWeek {
  const { year, week } = isoWeekOf(monday);
  return {
    index,
    monday,
    label: `${year}-W${String(week).padStart(2, '0')}`,
    year,
    week,
    start: osloMidnight(monday),
    end: osloMidnight(addDays(monday, 7)),
  };
}

function mondayOf(instant: Date): number {
  const day = toDayNumber(osloDateAt(instant));
  return day - weekday(day);
}

/** The `count` weeks up to and including the one `now` falls in, oldest first. */
export function lastOsloWeeks(count: number, now: Date = new Date()): OsloWeek[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`a number of weeks must be a whole number ≥ 1, got ${count}`);
  const last = mondayOf(now);
  return Array.from({ length: count }, (_, i) =>
    weekStartingOn(fromDayNumber(last - 7 * (count - 1 - i)), i),
  );
}

/** The weeks from the one `since` falls in to the one `now` falls in (at least that one). */
export function osloWeeksSince(since: Date, now: Date = new Date()): OsloWeek[] {
  const weeks = Math.floor((mondayOf(now) - mondayOf(since)) / 7) + 1;
  return lastOsloWeeks(Math.max(1, weeks), now);
}

const osloClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** Oslo's offset from UTC at an instant, in milliseconds (3 600 000 in winter, 7 200 000 in summer). */
export function osloOffsetAt(instant: Date): number {
  const part = (type: string) =>
    Number(osloClock.formatToParts(instant).find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  const minute = Math.floor(instant.getTime() / 60_000) * 60_000;
  return wall - minute;
}

/**
 * Oslo's offset from UTC from `from` to `to`, as spans: each holds until the next begins (the
 * last until `to`). Clocks change at most twice a year, always on the hour, so days are stepped
 * through and the hour of a change is searched for.
 */
export function osloOffsetSpans(from: Date, to: Date): { from: Date; offsetMs: number }[] {
  const HOUR = 3_600_000;
  const spans = [{ from, offsetMs: osloOffsetAt(from) }];
  for (let day = from.getTime(); day < to.getTime(); day += 24 * HOUR) {
    const next = Math.min(day + 24 * HOUR, to.getTime());
    const offset = osloOffsetAt(new Date(next));
    if (offset === spans.at(-1)!.offsetMs) continue;
    let hour = Math.ceil(day / HOUR) * HOUR;
    while (osloOffsetAt(new Date(hour)) === spans.at(-1)!.offsetMs) hour += HOUR;
    spans.push({ from: new Date(hour), offsetMs: offset });
  }
  return spans;
}

/** The index of the week `instant` falls in, or -1 when it falls in none of them. */
export function osloWeekIndex(weeks: readonly OsloWeek[], instant: Date): number {
  const at = instant.getTime();
  const found = weeks.find((w) => w.start.getTime() <= at && at < w.end.getTime());
  return found ? found.index : -1;
}
