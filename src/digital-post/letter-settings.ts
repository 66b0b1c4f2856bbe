import { z } from 'zod';

/**
 * Environment variables the letter settings may name for secrets: the SvarUt integration's
 * password and the Maskinporten key. Never any other variable of the process (settings are
 * edited on a web page; `DATABASE_URL` must not be reachable from there).
 */
const SECRET_ENV = /^(SVARUT|MASKINPORTEN)_[A-Z0-9_]{1,60}$/;

/** Where the portal reads a secret; only the variable's NAME is in the settings. */
export type SecretLookup = (name: string) => string | undefined;

/** The SVARUT_* and MASKINPORTEN_* variables as they were at start-up (config is read at boot). */
export function letterSecretsFrom(env: NodeJS.ProcessEnv): SecretLookup {
  const secrets = new Map(
    Object.entries(env).filter(
      (entry): entry is [string, string] => SECRET_ENV.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return (name) => secrets.get(name);
}

export const SVARUT_DEFAULT_BASE_URL = 'https://svarut.ks.no';
export const MASKINPORTEN_DEFAULT_TOKEN_URL = 'https://maskinporten.no/token';
export const MASKINPORTEN_DEFAULT_AUDIENCE = 'https://maskinporten.no/';
/** The scope KS Fiks documents for its APIs. */
export const FIKS_SCOPE = 'ks:fiks';

const text = (max: number) => z.string().trim().min(1).max(max);
const secretEnv = z.string().regex(SECRET_ENV, {
  error: 'must name an environment variable starting with SVARUT_ or MASKINPORTEN_',
});

const svarUtSchema = z.strictObject({
  baseUrl: z.string().optional(),
  /** The SvarUt account (konto) letters are sent from, a UUID from Fiks Forvaltning. */
  accountId: z.uuid(),
  /** The Fiks integration given access to the account, and where its password is. */
  integrationId: z.uuid(),
  integrationPasswordEnv: secretEnv,
  maskinporten: z.strictObject({
    tokenUrl: z.string().optional(),
    audience: z.string().optional(),
    clientId: text(200),
    /** The key's id registered with Maskinporten (the JWT's `kid`). */
    keyId: text(200).optional(),
    privateKeyEnv: secretEnv,
    scope: z
      .string()
      .regex(/^[a-z0-9:/._-]{1,100}( [a-z0-9:/._-]{1,100})*$/)
      .optional(),
  }),
  /** True: SvarUt may never print (documented as "no guarantee of delivery"); false by default. */
  digitalOnly: z.boolean().optional(),
  /** Ask for ID-porten level 4 (high) to open the letter; the receipt is not sensitive, so false. */
  requireHighLevelLogin: z.boolean().optional(),
});

export const letterSettingsSchema = z.strictObject({
  channel: z.enum(['email', 'svarut']),
  svarut: svarUtSchema.optional(),
});

/** What operators may store in `settings.letters`. */
export type LetterSettingsInput = z.infer<typeof letterSettingsSchema>;

/** How decision receipts reach the municipality's residents. */
export type LetterChannel = 'email' | 'digital-post';

export interface SvarUtSettings {
  baseUrl: string;
  accountId: string;
  integrationId: string;
  integrationPassword: string;
  digitalOnly: boolean;
  requireHighLevelLogin: boolean;
  maskinporten: MaskinportenSettings;
}

export interface MaskinportenSettings {
  tokenUrl: string;
  audience: string;
  clientId: string;
  keyId: string | null;
  /** PEM (PKCS#8 or PKCS#1); `\n` written as two characters is read as a line break. */
  privateKey: string;
  scope: string;
}

/** A municipality's settings that cannot be used; names the setting, never a secret. */
export class LetterSettingsError extends Error {
  readonly code = 'not-configured';
}

/** The channel of `settings.letters`; e-mail when absent or unreadable (the start-up check refuses those). */
export function letterChannelOf(settings: Record<string, unknown>): LetterChannel {
  const parsed = letterSettingsSchema.safeParse(settings.letters);
  return parsed.success && parsed.data.channel === 'svarut' ? 'digital-post' : 'email';
}

/** One line naming the municipality and the setting, or undefined when the settings are usable. */
export function letterSettingsProblem(
  slug: string,
  settings: Record<string, unknown>,
  env: SecretLookup,
): string | undefined {
  if (settings.letters === undefined) return undefined;
  try {
    const parsed = letterSettingsSchema.parse(settings.letters);
    if (parsed.channel === 'svarut') svarUtSettingsOf(slug, settings, env);
    return undefined;
  } catch (error) {
    if (error instanceof LetterSettingsError) return error.message;
    if (error instanceof z.ZodError) return describeIssue(slug, error);
    throw error;
  }
}

/** The municipality's SvarUt settings with their secrets, checked. */
export function svarUtSettingsOf(
  slug: string,
  settings: Record<string, unknown>,
  env: SecretLookup,
): SvarUtSettings {
  const parsed = letterSettingsSchema.safeParse(settings.letters);
  if (!parsed.success) throw new LetterSettingsError(describeIssue(slug, parsed.error));
  const s = parsed.data.svarut;
  const fail = (problem: string) =>
    new LetterSettingsError(`Municipality ${slug}: settings.letters.svarut${problem}`);
  if (!s) throw fail(' is required when channel is svarut');
  const baseUrl = serviceUrl(s.baseUrl ?? SVARUT_DEFAULT_BASE_URL, true);
  if (!baseUrl) throw fail('.baseUrl must be an https URL without query');
  const m = s.maskinporten;
  const tokenUrl = serviceUrl(m.tokenUrl ?? MASKINPORTEN_DEFAULT_TOKEN_URL, false);
  if (!tokenUrl) throw fail('.maskinporten.tokenUrl must be an https URL without query');
  const integrationPassword = env(s.integrationPasswordEnv);
  if (!integrationPassword)
    throw fail(`.integrationPasswordEnv names ${s.integrationPasswordEnv}, which is not set`);
  const privateKey = env(m.privateKeyEnv)?.replace(/\\n/g, '\n');
  if (!privateKey)
    throw fail(`.maskinporten.privateKeyEnv names ${m.privateKeyEnv}, which is not set`);
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
    throw fail(`.maskinporten.privateKeyEnv: ${m.privateKeyEnv} does not hold a PEM private key`);
  return {
    baseUrl,
    accountId: s.accountId,
    integrationId: s.integrationId,
    integrationPassword,
    digitalOnly: s.digitalOnly ?? false,
    requireHighLevelLogin: s.requireHighLevelLogin ?? false,
    maskinporten: {
      tokenUrl,
      audience: m.audience ?? MASKINPORTEN_DEFAULT_AUDIENCE,
      clientId: m.clientId,
      keyId: m.keyId ?? null,
      privateKey,
      scope: m.scope ?? FIKS_SCOPE,
    },
  };
}

function describeIssue(slug: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = ['letters', ...issue.path.map(String)].join('.');
  return `Municipality ${slug}: settings.${path}: ${issue.message}`;
}

/**
 * https, or http to this machine only (the simulator in tests and demos): the token request is
 * signed with the municipality's key, and every letter names a resident.
 */
function serviceUrl(raw: string, stripSlash: boolean): string | undefined {
  try {
    const url = new URL(raw);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
    if (!scheme || url.search || url.hash || url.username || url.password) return undefined;
    return stripSlash ? url.href.replace(/\/+$/, '') : url.href;
  } catch {
    return undefined;
  }
}

/** Injection token of the SecretLookup the digital post feature reads secrets through. */
export const LETTER_SECRETS = Symbol('LETTER_SECRETS');
