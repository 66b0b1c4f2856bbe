import type { Language } from '../shared/request-context';

const LOCALES: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

export interface Numbers {
  count(n: number): string;
  /** One decimal at most: hours, days. */
  decimal(n: number): string;
  percent(fraction: number): string;
}

const cache = new Map<Language, Numbers>();

/** Number formats for a page's language (Intl's, made once per language). */
export function numbersFor(lang: Language): Numbers {
  let found = cache.get(lang);
  if (!found) {
    const count = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 });
    const decimal = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 });
    const percent = new Intl.NumberFormat(LOCALES[lang], {
      style: 'percent',
      maximumFractionDigits: 0,
    });
    found = {
      count: (n) => count.format(n),
      decimal: (n) => decimal.format(n),
      percent: (f) => percent.format(f),
    };
    cache.set(lang, found);
  }
  return found;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A waiting time in the unit people would say it in: minutes under an hour, hours under two days. */
export function durationIn(ms: number): { unit: 'minutes' | 'hours' | 'days'; value: number } {
  const oneDecimal = (n: number) => Math.round(n * 10) / 10;
  if (ms < HOUR) return { unit: 'minutes', value: Math.round(ms / MINUTE) };
  if (ms < 2 * DAY) return { unit: 'hours', value: oneDecimal(ms / HOUR) };
  return { unit: 'days', value: oneDecimal(ms / DAY) };
}

/** Officer hours the automatic decisions saved: each would have taken `minutesPerCase` by hand. */
export function hoursSaved(automaticDecisions: number, minutesPerCase: number): number {
  return (automaticDecisions * minutesPerCase) / 60;
}
