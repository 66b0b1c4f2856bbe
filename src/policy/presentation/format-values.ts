import {
  INVOICE_STATUSES,
  INVOICE_TYPES,
  type InvoiceStatus,
  type InvoiceType,
} from '../engine/facts';
import type { Language, ParameterUnit, PolicyParameter } from '../policy.types';
import { QUOTES, STATUS_NAMES, TYPE_NAMES, WORDS } from './policy-words';

/** No-break space: "10 000 kr" must not break between its digits or before "kr". */
export const NBSP = '\u00a0';

/** Digits grouped in threes: `1000000` → `1 000 000` (nb, nn; no-break spaces) or `1,000,000` (en). */
export function groupDigits(whole: bigint | number, lang: Language): string {
  const separator = lang === 'en' ? ',' : NBSP;
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Whole øre as kroner the way a Norwegian reads them: `1000000` → `10 000 kr`, `1000050` →
 * `10 000,50 kr`; in English `NOK 10,000.50`. Öre are shown only when there are any.
 */
export function formatKroner(ore: number, lang: Language): string {
  if (!Number.isSafeInteger(ore)) return String(ore);
  const sign = ore < 0 ? '−' : '';
  const abs = Math.abs(ore);
  const kroner = groupDigits(Math.floor(abs / 100), lang);
  const rest = abs % 100;
  const decimals = rest === 0 ? '' : `${lang === 'en' ? '.' : ','}${String(rest).padStart(2, '0')}`;
  return lang === 'en'
    ? `${sign}NOK${NBSP}${kroner}${decimals}`
    : `${sign}${kroner}${decimals}${NBSP}kr`;
}

const DAY_WORDS: Readonly<Record<Language, readonly [string, string]>> = {
  nb: ['dag', 'dager'],
  nn: ['dag', 'dagar'],
  en: ['day', 'days'],
};

/** `1` → `1 dag`, `30` → `30 dager`. */
export function formatDays(days: number, lang: Language): string {
  const [one, many] = DAY_WORDS[lang];
  return `${formatCount(days, lang)}${NBSP}${Math.abs(days) === 1 ? one : many}`;
}

export function formatCount(count: number, lang: Language): string {
  if (!Number.isSafeInteger(count)) return String(count);
  return count < 0 ? `−${groupDigits(-count, lang)}` : groupDigits(count, lang);
}

export function statusName(status: string, lang: Language): string {
  return isStatus(status) ? STATUS_NAMES[status][lang] : status;
}

export function typeName(type: string, lang: Language): string {
  return isType(type) ? TYPE_NAMES[type][lang] : type;
}

export function quote(text: string, lang: Language): string {
  const [open, close] = QUOTES[lang];
  return `${open}${text}${close}`;
}

/** A list of statuses or types as quoted names separated by commas; no "and"/"or" that could be misread. */
export function formatNameList(
  values: readonly unknown[],
  unit: ParameterUnit,
  lang: Language,
): string {
  if (values.length === 0) return WORDS.emptyList[lang];
  const name = unit === 'invoice-types' ? typeName : statusName;
  return values.map((value) => quote(name(String(value), lang), lang)).join(', ');
}

/** A parameter's value with its unit; anything unexpected is shown as JSON rather than refused. */
export function formatParameterValue(
  parameter: Pick<PolicyParameter, 'value' | 'unit'>,
  lang: Language,
): string {
  const { value, unit } = parameter;
  if (typeof value === 'number') {
    if (unit === 'ore') return formatKroner(value, lang);
    if (unit === 'days') return formatDays(value, lang);
    if (unit === 'count') return formatCount(value, lang);
  }
  if (Array.isArray(value) && (unit === 'invoice-statuses' || unit === 'invoice-types'))
    return formatNameList(value, unit, lang);
  return JSON.stringify(value) ?? String(value);
}

function isStatus(value: string): value is InvoiceStatus {
  return (INVOICE_STATUSES as readonly string[]).includes(value);
}

function isType(value: string): value is InvoiceType {
  return (INVOICE_TYPES as readonly string[]).includes(value);
}
