import type { Language } from '../shared/request-context';

const LOCALES: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const money = new Map<Language, Intl.NumberFormat>();
const dates = new Map<Language, Intl.DateTimeFormat>();

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

/** `2026-12-15` → `15. desember 2026` (nb), `15. desember 2026` (nn), `15 December 2026` (en). */
export function formatIsoDate(iso: string, lang: string): string {
  const l = locale(lang);
  let formatter = dates.get(l);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[l], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dates.set(l, formatter);
  }
  return formatter.format(new Date(`${iso}T00:00:00Z`));
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

/** `12345678903` → `1234.56.78903`, how Norwegians read account numbers. */
export function formatAccountNumber(digits: string): string {
  return /^\d{11}$/.test(digits)
    ? `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`
    : digits;
}
