import { addDays, fromDayNumber, type IsoDate, toDayNumber } from './calendar-date';

/**
 * Norway's banking days: a due date on a Saturday, a Sunday, a public holiday, Christmas Eve or
 * New Year's Eve is paid on the next banking day anyway (the banks' settlement is closed on all of
 * them), so the portal offers none of them as a new due date.
 */

/** Easter Sunday of a Gregorian year (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** Days from Easter Sunday of the holidays that move with it (helligdagsloven § 2). */
const EASTER_OFFSETS = [
  -3, // Maundy Thursday (skjærtorsdag)
  -2, // Good Friday (langfredag)
  0, // Easter Sunday
  1, // Easter Monday
  39, // Ascension Day (Kristi himmelfartsdag)
  49, // Whit Sunday (pinsedag)
  50, // Whit Monday (andre pinsedag)
];

/** New Year's Day, Labour Day, Constitution Day, Christmas Day and Boxing Day. */
const FIXED = ['01-01', '05-01', '05-17', '12-25', '12-26'];

/** Not public holidays, but days the banks settle nothing. */
const BANK_CLOSED = ['12-24', '12-31'];

const holidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/** The public holidays (offentlige høytidsdager) of a year, in order, each once. */
export function norwegianPublicHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  const prefix = easter.slice(0, 5);
  const days = new Set([
    ...FIXED.map((monthDay) => prefix + monthDay),
    ...EASTER_OFFSETS.map((offset) => addDays(easter, offset)),
  ]);
  return [...days].sort();
}

function closedDays(year: number): ReadonlySet<IsoDate> {
  let days = holidaysByYear.get(year);
  if (!days) {
    const prefix = easterSunday(year).slice(0, 5);
    days = new Set([
      ...norwegianPublicHolidays(year),
      ...BANK_CLOSED.map((monthDay) => prefix + monthDay),
    ]);
    holidaysByYear.set(year, days);
  }
  return days;
}

/** Monday to Friday, and neither a public holiday nor Christmas Eve or New Year's Eve. */
export function isBankingDay(date: IsoDate): boolean {
  // Day 0 (1970-01-01) was a Thursday: 2 and 3 are Saturday and Sunday.
  const weekday = ((toDayNumber(date) % 7) + 7) % 7;
  if (weekday === 2 || weekday === 3) return false;
  return !closedDays(Number(date.slice(0, 4))).has(date);
}

/** The date itself if it is a banking day, else the next one. */
export function bankingDayOnOrAfter(date: IsoDate): IsoDate {
  let day = toDayNumber(date);
  while (!isBankingDay(fromDayNumber(day))) day++;
  return fromDayNumber(day);
}

/** The date itself if it is a banking day, else the one before. */
export function bankingDayOnOrBefore(date: IsoDate): IsoDate {
  let day = toDayNumber(date);
  while (!isBankingDay(fromDayNumber(day))) day--;
  return fromDayNumber(day);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
