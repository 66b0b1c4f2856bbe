/**
 * A calendar date in Europe/Oslo, written `YYYY-MM-DD`: due dates, facts and form values carry
 * these, never `Date` objects. The one calendar module of the portal (finance, policy, deferrals).
 */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

const osloDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar (years 0000–9999): the dates that
 * survive a round trip through a day number unchanged. Checked with arithmetic rather than a Date,
 * as facts are checked on every policy evaluation; calendar-date.spec.ts holds it to the round trip.
 */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || value.length !== 10 || !ISO_DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 for a calendar date. Counted in UTC, which has no daylight saving, so the
 * difference between two dates is always a whole number of days, whatever Oslo's clocks did.
 */
export function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date))
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [y, m, d] = date.split('-').map(Number);
  return toDayNumberUnchecked(y, m, d);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** `to − from` in whole calendar days; negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar months, clamped to the month's last day: 2026-08-31 minus 6 months is 2026-02-28. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  toDayNumber(date);
  const [y, m, d] = date.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = toDayNumberUnchecked(year, month + 1, 1) - toDayNumberUnchecked(year, month, 1);
  return fromDayNumber(toDayNumberUnchecked(year, month, Math.min(d, lastDay)));
}

/** The date on Oslo's wall calendar at an instant; the one place the clock meets the calendar. */
export function osloDateAt(instant: Date): IsoDate {
  return osloDate.format(instant);
}

function toDayNumberUnchecked(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

export function assertIsoDate(value: unknown, what: string): IsoDate {
  if (!isIsoDate(value)) throw new TypeError(`${what} must be a date as YYYY-MM-DD`);
  return value;
}

/** Today's date in Norway, which is what due dates are counted in. */
export function todayInNorway(now: Date = new Date()): IsoDate {
  return osloDateAt(now);
}
