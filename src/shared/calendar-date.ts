/**
 * A calendar date in Europe/Oslo, written `YYYY-MM-DD`: due dates, facts and form values carry
 * these, never `Date` objects. The one calendar module of the portal (finance, policy, deferrals).
 */
export type IsoDate = string;

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
  return typeof value === 'string' && packedDate(value) >= 0;
}

/**
 * A `YYYY-MM-DD` string as the number YYYYMMDD, or -1 if it names no day: one pass over its
 * characters, without a regular expression, substrings or arrays. Every decision reads a few
 * dozen dates (its facts, the payment history, the window it may choose from), and parsing them
 * as before (a regular expression, `split`, a Date per date) was ~2 % of the portal's CPU under
 * the decision load (issue 18).
 */
function packedDate(value: string): number {
  if (value.length !== 10 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH)
    return -1;
  let packed = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = value.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    packed = packed * 10 + digit;
  }
  const year = Math.floor(packed / 10_000);
  const month = Math.floor(packed / 100) % 100;
  const day = packed % 100;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? packed : -1;
}
const DASH = 45;
const ZERO = 48;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 for a calendar date. Counted in UTC, which has no daylight saving, so the
 * difference between two dates is always a whole number of days, whatever Oslo's clocks did.
 */
export function toDayNumber(date: IsoDate): number {
  const packed = checkedPackedDate(date);
  return daysFromCivil(Math.floor(packed / 10_000), Math.floor(packed / 100) % 100, packed % 100);
}

/** `packedDate`, refusing what is not a calendar date. */
function checkedPackedDate(date: IsoDate): number {
  const packed = typeof date === 'string' ? packedDate(date) : -1;
  if (packed < 0) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return packed;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  if (Number.isInteger(dayNumber) && dayNumber >= FIRST_DAY && dayNumber <= LAST_DAY) {
    const [year, month, day] = civilFromDays(dayNumber);
    return `${year < 1000 ? String(year).padStart(4, '0') : year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
  }
  const date = new Date(dayNumber * MS_PER_DAY);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, and back: H. Hinnant's `days_from_civil`
 * and `civil_from_days` (eras of 400 years, years starting in March), integer arithmetic only.
 * calendar-date.spec.ts holds both to a Date's reckoning, day by day, over years 0000–9999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
/** 0000-01-01 and 9999-12-31: the days `fromDayNumber` writes without a Date. */
const FIRST_DAY = -719_528;
const LAST_DAY = 2_932_896;

/** `to − from` in whole calendar days; negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar months, clamped to the month's last day: 2026-08-31 minus 6 months is 2026-02-28. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const packed = checkedPackedDate(date);
  const monthIndex =
    Math.floor(packed / 10_000) * 12 + ((Math.floor(packed / 100) % 100) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return fromDayNumber(
    daysFromCivil(year, month, Math.min(packed % 100, daysInMonth(year, month))),
  );
}

/** The date on Oslo's wall calendar at an instant; the one place the clock meets the calendar. */
export function osloDateAt(instant: Date): IsoDate {
  return osloDate.format(instant);
}

export function assertIsoDate(value: unknown, what: string): IsoDate {
  if (!isIsoDate(value)) throw new TypeError(`${what} must be a date as YYYY-MM-DD`);
  return value;
}

/** Today's date in Norway, which is what due dates are counted in. */
export function todayInNorway(now: Date = new Date()): IsoDate {
  return osloDateAt(now);
}
