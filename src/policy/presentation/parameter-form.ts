import { canonicalJson } from '../../shared/canonical-json';
import { INVOICE_STATUSES, INVOICE_TYPES } from '../engine/facts';
import { parseJsonText } from '../loading/json-text';
import { loadPolicy } from '../loading/policy-loader';
import type { Language, LocalizedText, ParameterUnit, Policy } from '../policy.types';
import { errorsByField, type PolicyFormError } from './form-errors';
import { formatDays, groupDigits, statusName, typeName } from './format-values';
import {
  type ParsedInput,
  parseChoices,
  parseCount,
  parseDays,
  parseKroner,
} from './parameter-input';
import { PARAMETER_LABELS } from './policy-words';

export type ParameterInputKind = 'kroner' | 'days' | 'count' | 'statuses' | 'types';

export interface ParameterOption {
  readonly value: string;
  readonly label: string;
  readonly checked: boolean;
}

/** One input of the parameters form; its `id` is the parameter's name and the field's name. */
export interface ParameterField {
  readonly id: string;
  readonly label: string;
  readonly unit: ParameterUnit;
  readonly kind: ParameterInputKind;
  /** Shown after the input: `kr`, `dager`; empty for counts and lists. */
  readonly unitLabel: string;
  readonly hint: string;
  /** From the policy file, in bokmål. */
  readonly description: string;
  readonly descriptionLang: 'nb';
  /** The current value as the input shows it (`10 000`, `10 000,50`, `30`); empty for lists. */
  readonly value: string;
  /** The checkboxes of a list, every known status (or type) with the current ones checked. */
  readonly options: readonly ParameterOption[];
}

export type ApplyParameterFormResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly errors: readonly PolicyFormError[] };

/** Form input as body-parser gives it: a string per field, an array for several checked boxes. */
export type ParameterFormInput = Readonly<Record<string, string | readonly string[] | undefined>>;

const KIND: Readonly<Record<ParameterUnit, ParameterInputKind>> = {
  ore: 'kroner',
  days: 'days',
  count: 'count',
  'invoice-statuses': 'statuses',
  'invoice-types': 'types',
};

const UNIT_LABELS: Readonly<Record<ParameterInputKind, LocalizedText>> = {
  kroner: { nb: 'kr', nn: 'kr', en: 'NOK' },
  days: { nb: 'dager', nn: 'dagar', en: 'days' },
  count: { nb: '', nn: '', en: '' },
  statuses: { nb: '', nn: '', en: '' },
  types: { nb: '', nn: '', en: '' },
};

const HINTS: Readonly<Record<ParameterInputKind, LocalizedText>> = {
  kroner: {
    nb: 'I kroner, for eksempel 10 000 eller 10 000,50.',
    nn: 'I kroner, til dømes 10 000 eller 10 000,50.',
    en: 'In kroner, for example 10000 or 10000.50.',
  },
  days: {
    nb: 'Helt antall kalenderdager.',
    nn: 'Heilt tal kalenderdagar.',
    en: 'A whole number of calendar days.',
  },
  count: { nb: 'Helt tall.', nn: 'Heilt tal.', en: 'A whole number.' },
  statuses: {
    nb: 'Kryss av for statusene som skal gjelde.',
    nn: 'Kryss av for statusane som skal gjelde.',
    en: 'Tick the statuses that apply.',
  },
  types: {
    nb: 'Kryss av for fakturatypene som skal gjelde.',
    nn: 'Kryss av for fakturatypane som skal gjelde.',
    en: 'Tick the invoice types that apply.',
  },
};

/** The editable fields for a policy's parameters, in the order the policy lists them. */
export function parameterForm(policy: Policy, lang: Language): ParameterField[] {
  const fields: ParameterField[] = [];
  for (const [id, parameter] of Object.entries(policy.parameters)) {
    if (!Object.hasOwn(KIND, parameter.unit)) continue;
    const kind = KIND[parameter.unit];
    const { value } = parameter;
    const chosen: readonly unknown[] = Array.isArray(value) ? value : [];
    const known = kind === 'types' ? INVOICE_TYPES : kind === 'statuses' ? INVOICE_STATUSES : [];
    const name = kind === 'types' ? typeName : statusName;
    fields.push({
      id,
      label: Object.hasOwn(PARAMETER_LABELS, id) ? PARAMETER_LABELS[id][lang] : id,
      unit: parameter.unit,
      kind,
      unitLabel: UNIT_LABELS[kind][lang],
      hint: HINTS[kind][lang],
      description: parameter.description,
      descriptionLang: 'nb',
      value: typeof value === 'number' ? inputText(value, kind, lang) : '',
      options: known.map((option) => ({
        value: option,
        label: name(option, lang),
        checked: chosen.includes(option),
      })),
    });
  }
  return fields;
}

/** As an officer would type it: `10 000` / `10 000,50` (nb, nn), `10000.50` (en); days and counts plain. */
function inputText(value: number, kind: ParameterInputKind, lang: Language): string {
  if (kind !== 'kroner') return String(value);
  const kroner = Math.floor(value / 100);
  const ore = value % 100;
  const whole = lang === 'en' ? String(kroner) : groupDigits(kroner, lang).replace(/\u00a0/g, ' ');
  return ore === 0 ? whole : `${whole}${lang === 'en' ? '.' : ','}${String(ore).padStart(2, '0')}`;
}

/**
 * Writes the form's values into the policy text and validates the result as a whole (schema and
 * semantic checks, exactly as saving JSON does). Every parameter the policy has is read from the
 * input: a number field left out counts as empty, a list left out as nothing checked (browsers send
 * no field for a group of unchecked boxes). The text comes back as canonical JSON, the form the
 * versions are stored in, so only the changed values differ from a stored version's text.
 */
export function applyParameterForm(
  policyText: string,
  input: ParameterFormInput,
): ApplyParameterFormResult {
  const parsed = parseJsonText(policyText.replace(/^\uFEFF/, ''));
  const parameters = parsed.ok ? parametersOf(parsed.value) : undefined;
  if (!parsed.ok || !parameters) return refused(policyText);

  const errors: PolicyFormError[] = [];
  const values = new Map<string, number | string[]>();
  for (const [name, parameter] of Object.entries(parameters)) {
    const unit = (parameter as { unit?: unknown } | null)?.unit;
    if (typeof unit !== 'string' || !Object.hasOwn(KIND, unit)) continue;
    const result = parseField(input[name], unit as ParameterUnit);
    if (result.ok) values.set(name, result.value);
    else errors.push({ field: name, path: valuePath(name), message: result.message });
  }
  errors.push(...crossFieldErrors(values));
  if (errors.length > 0) return { ok: false, errors };

  const json = structuredClone(parsed.value) as { parameters: Record<string, { value: unknown }> };
  for (const [name, value] of values) json.parameters[name].value = value;
  const text = canonicalJson(json);
  const loaded = loadPolicy(text);
  if (!loaded.ok) return { ok: false, errors: errorsByField(loaded.errors) };
  return { ok: true, text };
}

function parseField(
  raw: string | readonly string[] | undefined,
  unit: ParameterUnit,
): ParsedInput<number | string[]> {
  if (unit === 'invoice-statuses' || unit === 'invoice-types') return parseChoices(raw, unit);
  const text = typeof raw === 'string' ? raw : raw?.length === 1 ? raw[0] : '';
  return unit === 'ore' ? parseKroner(text) : unit === 'days' ? parseDays(text) : parseCount(text);
}

/**
 * Combinations the form refuses though each value is fine alone. A shortest deferral longer than
 * the longest would leave the deferral form with no date to offer.
 */
function crossFieldErrors(values: ReadonlyMap<string, number | string[]>): PolicyFormError[] {
  const min = values.get('minDeferralDays');
  const max = values.get('maxDeferralDays');
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return [];
  return [
    {
      field: 'minDeferralDays',
      path: valuePath('minDeferralDays'),
      message: {
        nb: `Korteste utsettelse kan ikke være lengre enn lengste utsettelse (${formatDays(max, 'nb')}).`,
        nn: `Kortaste utsetjing kan ikkje vere lengre enn lengste utsetjing (${formatDays(max, 'nn')}).`,
        en: `The shortest deferral cannot be longer than the longest deferral (${formatDays(max, 'en')}).`,
      },
    },
  ];
}

function parametersOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const parameters = (value as { parameters?: unknown }).parameters;
  return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)
    ? (parameters as Record<string, unknown>)
    : undefined;
}

/** A text the form cannot work on at all: the validator's own errors, at their JSON paths. */
function refused(policyText: string): ApplyParameterFormResult {
  const loaded = loadPolicy(policyText);
  const errors = loaded.ok ? [{ path: '/parameters', message: 'must be object' }] : loaded.errors;
  return { ok: false, errors: errorsByField(errors) };
}

function valuePath(name: string): string {
  return `/parameters/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/value`;
}
