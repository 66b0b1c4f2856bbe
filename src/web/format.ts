import type { Language } from '../shared/request-context';

const LOCALES: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const money = new Map<Language, Intl.NumberFormat>();
const numbers = new Map<Language, Intl.NumberFormat>();
const percents = new Map<Language, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();
/** Formatted dates by style and date; bounded, as a date comes from data (~10 years × 3 languages × 2 styles). */
const formattedDates = new Map<string, string>();
const MAX_FORMATTED_DATES = 25_000;

function locale(lang: string): Language {
  return lang === 'nn' || lang === 'en' ? lang : 'nb';
}

/** Integer øre as kroner for people: `123450` → `1 234,50 kr` (nb/nn) or `NOK 1,234.50` (en). */
export function formatOre(ore: number, lang: string): string {
  if (!Number.isSafeInteger(ore)) throw new TypeError('amount must be whole øre');
  const l = locale(lang);
  let formatter = money.get(l);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALES[l], {
      style: 'currency',
      currency: 'NOK',
      currencyDisplay: l === 'en' ? 'code' : 'symbol',
    });
    money.set(l, formatter);
  }
  // Intl formats an exact decimal string, so the amount never passes through a binary fraction.
  const sign = ore < 0 ? '-' : '';
  const digits = String(Math.abs(ore)).padStart(3, '0');
  const decimal = `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return formatter.format(decimal as Intl.StringNumericLiteral);
}

/**
 * `2026-12-15` → `15. desember 2026` (nb), `15. desember 2026` (nn), `15 December 2026` (en); with
 * `weekday`, `tirsdag 15. desember 2026` / `Tuesday, 15 December 2026`.
 */
export function formatIsoDate(iso: string, lang: string, { weekday = false } = {}): string {
  const l = locale(lang);
  const key = weekday ? `${l}:weekday` : l;
  // Pages show the same few hundred dates over and over (due dates, invoice dates), and parsing
  // and formatting one costs microseconds; the text per date and style is kept instead.
  const textKey = `${key}:${iso}`;
  const known = formattedDates.get(textKey);
  if (known !== undefined) return known;
  let formatter = dates.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[l], {
      ...(weekday ? { weekday: 'long' as const } : {}),
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dates.set(key, formatter);
  }
  const text = formatter.format(new Date(`${iso}T00:00:00Z`));
  if (formattedDates.size >= MAX_FORMATTED_DATES) formattedDates.clear();
  formattedDates.set(textKey, text);
  return text;
}

const moments = new Map<string, Intl.DateTimeFormat>();

/** A moment as people in Norway read it: `5. desember 2026 kl. 23:10` (nb), `5 December 2026 at 23:10` (en). */
export function formatMoment(moment: Date | string, lang: string): string {
  const l = locale(lang);
  let formatter = moments.get(l);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[l], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Oslo',
    });
    moments.set(l, formatter);
  }
  return formatter.format(typeof moment === 'string' ? new Date(moment) : moment);
}

/** A quantity for people: `38.5` → `38,5` (nb/nn) or `38.5` (en), at most three decimals. */
export function formatNumber(value: number, lang: string): string {
  const l = locale(lang);
  let formatter = numbers.get(l);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALES[l], { maximumFractionDigits: 3 });
    numbers.set(l, formatter);
  }
  return formatter.format(value);
}

/** A rate in whole percent: `25` → `25 %` (nb/nn) or `25%` (en). */
export function formatPercent(percent: number, lang: string): string {
  const l = locale(lang);
  let formatter = percents.get(l);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALES[l], { style: 'percent', maximumFractionDigits: 2 });
    percents.set(l, formatter);
  }
  return formatter.format(percent / 100);
}

/**
 * A KID in groups of four from the left, as one reads and types it (`1234 5678 9012 3456 78`).
 * Pages show each group as its own box, so a copy of the number is its digits alone.
 */
export function kidGroups(kid: string): string[] {
  return kid.match(/.{1,4}/g) ?? [kid];
}

/** `12345678903` → `['1234', '56', '78903']`: bank, account group, account and check digit. */
export function accountNumberGroups(digits: string): string[] {
  return /^\d{11}$/.test(digits)
    ? [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6)]
    : [digits];
}

/** `12345678903` → `1234.56.78903`, how Norwegians read account numbers. */
export function formatAccountNumber(digits: string): string {
  return /^\d{11}$/.test(digits)
    ? `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`
    : digits;
}
