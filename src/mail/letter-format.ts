import type { LetterDate, LetterLanguage } from './deferral-receipt-letter';

const LOCALES: Record<LetterLanguage, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const icuKnows = (locale: string): boolean =>
  Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;

/**
 * The Intl locale for a letter language. Node 24's full ICU formats nn-NO (it writes dates and
 * amounts as nb-NO does); a runtime built with reduced ICU may not know it, and then nynorsk letters
 * fall back to bokmål formatting, which reads the same for dates and kroner.
 */
export function localeFor(
  language: LetterLanguage,
  isSupported: (locale: string) => boolean = icuKnows,
): string {
  const locale = LOCALES[language] ?? LOCALES.nb;
  return isSupported(locale) ? locale : LOCALES.nb;
}

/** Formats from one locale, built once: Intl formatters are costly to create. */
export class LetterFormat {
  private readonly money: Intl.NumberFormat;
  private readonly date: Intl.DateTimeFormat;

  constructor(readonly locale: string) {
    this.money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'NOK' });
    this.date = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  }

  /** 123450 → "1 234,50 kr" (nb/nn; the spaces are U+00A0) or "NOK 1,234.50" (en). */
  formatMoney(amountOre: number): string {
    if (!Number.isSafeInteger(amountOre))
      throw new TypeError('amount must be a whole number of øre');
    // A decimal string keeps the øre exact; dividing by 100 would go through a binary fraction.
    const sign = amountOre < 0 ? '-' : '';
    const digits = String(Math.abs(amountOre)).padStart(3, '0');
    const decimal = `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}` as `${number}`;
    return this.money.format(decimal);
  }

  /** Upper case by the locale's rules, for the plain-text letter's headings. */
  upper(text: string): string {
    return text.toLocaleUpperCase(this.locale);
  }

  /** "2026-12-15" → "15. desember 2026" (nb/nn) or "15 December 2026" (en). */
  formatDate(date: LetterDate): string {
    const match = ISO_DATE.exec(date);
    const utc = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
    if (!match || new Date(utc).toISOString().slice(0, 10) !== date) {
      throw new TypeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
    }
    return this.date.format(utc);
  }
}
