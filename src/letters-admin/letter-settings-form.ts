import { letterSettingsSchema, type LetterSettingsInput } from '../digital-post';

/** The form's fields, as typed: strings, the checkbox `on` or empty. */
export interface LetterSettingsValues {
  channel: string;
  baseUrl: string;
  accountId: string;
  integrationId: string;
  integrationPasswordEnv: string;
  tokenUrl: string;
  audience: string;
  clientId: string;
  keyId: string;
  privateKeyEnv: string;
  digitalOnly: string;
}

export const LETTER_FIELDS = [
  'channel',
  'baseUrl',
  'accountId',
  'integrationId',
  'integrationPasswordEnv',
  'tokenUrl',
  'audience',
  'clientId',
  'keyId',
  'privateKeyEnv',
  'digitalOnly',
] as const;
export type LetterField = (typeof LETTER_FIELDS)[number];

export interface FieldRefusal {
  field: LetterField;
  line: string;
}

const SVARUT_FIELDS: readonly LetterField[] = LETTER_FIELDS.filter(
  (f) => f !== 'channel' && f !== 'digitalOnly',
);

/**
 * `settings.letters` from the form, or the fields refused. With e-mail as the channel the SvarUt
 * fields may be left empty (nothing is kept) or filled (kept, and checked), so an operator can
 * prepare digital post before switching to it. The settings the form has no field for (the
 * Maskinporten scope, the high-level login) are kept as `stored` has them, not dropped by a save.
 */
export function lettersFromForm(
  values: LetterSettingsValues,
  stored?: unknown,
): { letters: LetterSettingsInput } | { refusals: FieldRefusal[] } {
  const kept = unformed(stored);
  const value = (field: LetterField) => values[field].trim();
  const anySvarUt = SVARUT_FIELDS.some((f) => value(f) !== '');
  const optional = (field: LetterField) => (value(field) === '' ? undefined : value(field));
  const candidate = {
    channel: value('channel'),
    ...(value('channel') === 'svarut' || anySvarUt
      ? {
          svarut: {
            baseUrl: optional('baseUrl'),
            accountId: value('accountId'),
            integrationId: value('integrationId'),
            integrationPasswordEnv: value('integrationPasswordEnv'),
            maskinporten: {
              tokenUrl: optional('tokenUrl'),
              audience: optional('audience'),
              clientId: value('clientId'),
              keyId: optional('keyId'),
              privateKeyEnv: value('privateKeyEnv'),
              scope: kept.scope,
            },
            digitalOnly: value('digitalOnly') === 'on',
            requireHighLevelLogin: kept.requireHighLevelLogin,
          },
        }
      : {}),
  };
  const parsed = letterSettingsSchema.safeParse(JSON.parse(JSON.stringify(candidate)));
  if (parsed.success) return { letters: parsed.data };
  return {
    refusals: parsed.error.issues.map((issue) => ({
      field: fieldOfPath(issue.path.map(String)),
      line: `settings.letters.${issue.path.join('.')}: ${issue.message}`,
    })),
  };
}

/** The stored SvarUt settings that have no field on the form. */
function unformed(stored: unknown): { scope?: unknown; requireHighLevelLogin?: unknown } {
  const svarut = ((stored ?? {}) as Record<string, unknown>).svarut as
    Record<string, unknown> | undefined;
  const maskinporten = svarut?.maskinporten as Record<string, unknown> | undefined;
  return { scope: maskinporten?.scope, requireHighLevelLogin: svarut?.requireHighLevelLogin };
}

function fieldOfPath(path: string[]): LetterField {
  const last = path[path.length - 1];
  if (path[0] !== 'svarut') return 'channel';
  return (LETTER_FIELDS as readonly string[]).includes(last) ? (last as LetterField) : 'accountId';
}

/** The field a settings problem (the start-up check's line) is about. */
export function fieldOfProblem(line: string): LetterField {
  const match = /settings\.letters\.svarut(?:\.maskinporten)?\.(\w+)/.exec(line);
  const field = match?.[1];
  return field && (LETTER_FIELDS as readonly string[]).includes(field)
    ? (field as LetterField)
    : 'channel';
}

/** What the form starts from: the stored settings (names of variables only; no secrets exist here). */
export function valuesOf(letters: unknown): LetterSettingsValues {
  const stored = (letters ?? {}) as Record<string, unknown>;
  const svarut = (stored.svarut ?? {}) as Record<string, unknown>;
  const maskinporten = (svarut.maskinporten ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    channel: stored.channel === 'svarut' ? 'svarut' : 'email',
    baseUrl: s(svarut.baseUrl),
    accountId: s(svarut.accountId),
    integrationId: s(svarut.integrationId),
    integrationPasswordEnv: s(svarut.integrationPasswordEnv),
    tokenUrl: s(maskinporten.tokenUrl),
    audience: s(maskinporten.audience),
    clientId: s(maskinporten.clientId),
    keyId: s(maskinporten.keyId),
    privateKeyEnv: s(maskinporten.privateKeyEnv),
    digitalOnly: svarut.digitalOnly === true ? 'on' : '',
  };
}
