import { INVOICE_STATUSES, INVOICE_TYPES } from '../engine/facts';
import type { LocalizedText } from '../policy.types';
import { formatDays, formatKroner, formatCount } from './format-values';

/** What one form field's text becomes: the value to store, or why it cannot be stored. */
export type ParsedInput<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: LocalizedText };

/** The largest whole number JSON and the schema allow (Number.MAX_SAFE_INTEGER). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Day parameters move calendar dates (the deferral form adds them to due dates), so they stay
 * within ten years: far beyond any real limit, far inside the calendar's range (years 0–9999).
 */
export const MAX_DAYS = 3650;

const fail = (message: LocalizedText) => ({ ok: false as const, message });

const REQUIRED: LocalizedText = {
  nb: 'Fyll inn en verdi.',
  nn: 'Fyll inn ein verdi.',
  en: 'Enter a value.',
};

const NEGATIVE: LocalizedText = {
  nb: 'Verdien kan ikke være negativ.',
  nn: 'Verdien kan ikkje vere negativ.',
  en: 'The value cannot be negative.',
};

/** Spaces of any kind are read as thousands separators: "10 000", "10 000" (no-break) and "10000" are equal. */
function compact(raw: string): string {
  return raw.replace(/[\s\u00a0\u202f]/g, '');
}

/**
 * Kroner as an officer types them: "10 000", "10000", "10 000,50", "10000.5", optionally with
 * "kr"; stored as whole øre. A group of three after the separator ("10.000") is refused rather than
 * guessed at: it is a thousands separator in one habit and a decimal point in another.
 */
export function parseKroner(raw: string): ParsedInput<number> {
  const text = compact(raw)
    .replace(/^NOK/i, '')
    .replace(/kr\.?$/i, '');
  if (text === '') return fail(REQUIRED);
  const match = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) {
    return fail({
      nb: 'Skriv beløpet i kroner med tall, for eksempel 10 000 eller 10 000,50.',
      nn: 'Skriv beløpet i kroner med tal, til dømes 10 000 eller 10 000,50.',
      en: 'Enter the amount in kroner as a number, for example 10000 or 10000.50.',
    });
  }
  if (match[1] === '-') return fail(NEGATIVE);
  const ore = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  if (ore > BigInt(MAX_SAFE)) {
    return fail({
      nb: `Beløpet er for stort. Høyeste mulige er ${formatKroner(MAX_SAFE, 'nb')}.`,
      nn: `Beløpet er for stort. Høgaste moglege er ${formatKroner(MAX_SAFE, 'nn')}.`,
      en: `The amount is too large. The largest possible is ${formatKroner(MAX_SAFE, 'en')}.`,
    });
  }
  return { ok: true, value: Number(ore) };
}

export function parseDays(raw: string): ParsedInput<number> {
  return parseWhole(raw, MAX_DAYS, {
    notWhole: {
      nb: 'Skriv et helt antall dager, for eksempel 30.',
      nn: 'Skriv eit heilt tal dagar, til dømes 30.',
      en: 'Enter a whole number of days, for example 30.',
    },
    tooLarge: {
      nb: `Høyst ${formatDays(MAX_DAYS, 'nb')} (ti år).`,
      nn: `Høgst ${formatDays(MAX_DAYS, 'nn')} (ti år).`,
      en: `At most ${formatDays(MAX_DAYS, 'en')} (ten years).`,
    },
  });
}

export function parseCount(raw: string): ParsedInput<number> {
  return parseWhole(raw, MAX_SAFE, {
    notWhole: {
      nb: 'Skriv et helt tall, for eksempel 3.',
      nn: 'Skriv eit heilt tal, til dømes 3.',
      en: 'Enter a whole number, for example 3.',
    },
    tooLarge: {
      nb: `Tallet er for stort. Høyeste mulige er ${formatCount(MAX_SAFE, 'nb')}.`,
      nn: `Talet er for stort. Høgaste moglege er ${formatCount(MAX_SAFE, 'nn')}.`,
      en: `The number is too large. The largest possible is ${formatCount(MAX_SAFE, 'en')}.`,
    },
  });
}

function parseWhole(
  raw: string,
  max: number,
  messages: { notWhole: LocalizedText; tooLarge: LocalizedText },
): ParsedInput<number> {
  const text = compact(raw);
  if (text === '') return fail(REQUIRED);
  if (/^-\d+([.,]\d+)?$/.test(text)) return fail(NEGATIVE);
  if (/^\d+[.,]\d+$/.test(text)) return fail(messages.notWhole);
  if (!/^\d+$/.test(text)) {
    return fail({
      nb: `Det er ikke et tall. ${messages.notWhole.nb}`,
      nn: `Det er ikkje eit tal. ${messages.notWhole.nn}`,
      en: `That is not a number. ${messages.notWhole.en}`,
    });
  }
  const value = BigInt(text);
  if (value > BigInt(max)) return fail(messages.tooLarge);
  return { ok: true, value: Number(value) };
}

/**
 * Checked boxes: nothing (no box checked sends no field), one value or several. Stored in the
 * order the known values are listed, without duplicates.
 */
export function parseChoices(
  raw: string | readonly string[] | undefined,
  unit: 'invoice-statuses' | 'invoice-types',
): ParsedInput<string[]> {
  const chosen = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const known: readonly string[] = unit === 'invoice-types' ? INVOICE_TYPES : INVOICE_STATUSES;
  const unknown = chosen.filter((value) => !known.includes(value));
  if (unknown.length > 0) {
    const list = unknown.map((value) => JSON.stringify(value)).join(', ');
    return fail(
      unit === 'invoice-types'
        ? {
            nb: `Ukjent fakturatype: ${list}.`,
            nn: `Ukjend fakturatype: ${list}.`,
            en: `Unknown invoice type: ${list}.`,
          }
        : {
            nb: `Ukjent fakturastatus: ${list}.`,
            nn: `Ukjend fakturastatus: ${list}.`,
            en: `Unknown invoice status: ${list}.`,
          },
    );
  }
  return { ok: true, value: known.filter((value) => chosen.includes(value)) };
}
