import { FINANCE_ADAPTERS, type FinanceAdapterKind } from '../finance';

/** The settings an operator edits: which adapter, its base URL, the vendor's own block. */
export interface FinanceSettingsValues {
  adapter: string;
  baseUrl: string;
  /** The vendor block (`settings.visma`, `settings.xledger`) as JSON text; empty for none. */
  vendor: string;
}

export type FinanceSettingsField = keyof FinanceSettingsValues;

/** A refused field and the line that says why (the start-up check's own words, or ours). */
export interface FieldRefusal {
  field: FinanceSettingsField;
  line: string;
}

/** Adapters with a settings block of their own, named after them (`settings.visma`). */
export const VENDOR_ADAPTERS: readonly FinanceAdapterKind[] = FINANCE_ADAPTERS.filter(
  (a) => a !== 'embedded' && a !== 'http',
);

/**
 * Keys whose value would be a secret: such a value never belongs in the database. A key ending
 * in `Env` names an environment variable instead, and one ending in `Url` is an address.
 */
const SECRET_KEY = /secret|password|passord|token|api_?key|credential|private_?key/i;
const NAMES_OR_ADDRESS = /(Env|Url|URL)$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]{1,63}$/;
export const HIDDEN = '[hidden]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NAMES_OR_ADDRESS.test(key);
}

/** A copy with every secret-looking value replaced, for pages and audit entries. */
export function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      isSecretKey(k) ? HIDDEN : redacted(v),
    ]),
  );
}

/** The URL as shown and audited: user and password taken out (they would be credentials). */
export function shownUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const url = new URL(raw);
    if (!url.username && !url.password) return raw;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return raw;
  }
}

/** The environment variable names a vendor block refers to (its `…Env` keys), in order. */
export function envNamesOf(block: unknown): string[] {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return [];
  return Object.entries(block as Record<string, unknown>)
    .filter(([k, v]) => k.endsWith('Env') && typeof v === 'string')
    .map(([, v]) => v as string);
}

/**
 * The municipality's settings with the form's values in place, or the fields refused before any
 * check runs: an unknown adapter, a URL carrying a password, a vendor block that is no JSON
 * object, holds a secret value, or names a variable that is no variable name.
 */
export function settingsFromForm(
  current: Readonly<Record<string, unknown>>,
  values: FinanceSettingsValues,
): { settings: Record<string, unknown> } | { refusals: FieldRefusal[] } {
  const refusals: FieldRefusal[] = [];
  const adapter = values.adapter as FinanceAdapterKind;
  if (!(FINANCE_ADAPTERS as readonly string[]).includes(adapter))
    refusals.push({ field: 'adapter', line: `choose one of ${FINANCE_ADAPTERS.join(', ')}` });
  const baseUrl = values.baseUrl.trim();
  if (baseUrl && shownUrl(baseUrl) !== baseUrl)
    refusals.push({
      field: 'baseUrl',
      line: 'the URL holds a user name or password; credentials go in environment variables',
    });
  const vendorText = values.vendor.trim();
  let vendor: Record<string, unknown> | undefined;
  if (vendorText) {
    const problem = vendorProblem(vendorText);
    if (typeof problem === 'string') refusals.push({ field: 'vendor', line: problem });
    else vendor = problem;
  }
  if (refusals.length > 0) return { refusals };

  const settings: Record<string, unknown> = { ...current, financeAdapter: adapter };
  if (baseUrl) settings.financeBaseUrl = baseUrl;
  else delete settings.financeBaseUrl;
  if (VENDOR_ADAPTERS.includes(adapter)) {
    if (vendor) settings[adapter] = vendor;
    else delete settings[adapter];
  } else if (vendor) {
    return {
      refusals: [{ field: 'vendor', line: `the "${adapter}" adapter has no vendor settings` }],
    };
  }
  return { settings };
}

function vendorProblem(text: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not valid JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'must be a JSON object like {"tenantId": "…"}';
  const secret = secretPath(parsed as Record<string, unknown>);
  if (secret)
    return `${secret} looks like a secret value; store it in an environment variable and put its name in a key ending in "Env"`;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
    if (key.endsWith('Env') && (typeof value !== 'string' || !ENV_NAME.test(value)))
      return `${key} must be the name of an environment variable (capital letters, digits and _), never the secret itself`;
  return parsed as Record<string, unknown>;
}

function secretPath(value: Record<string, unknown>, prefix = ''): string | undefined {
  for (const [key, inner] of Object.entries(value)) {
    if (isSecretKey(key)) return `${prefix}${key}`;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const found = secretPath(inner as Record<string, unknown>, `${prefix}${key}.`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Which field the start-up check's line is about, by the setting it names. */
export function fieldOfProblem(line: string): FinanceSettingsField {
  if (line.includes('settings.financeBaseUrl')) return 'baseUrl';
  if (VENDOR_ADAPTERS.some((a) => line.includes(`settings.${a}`))) return 'vendor';
  return 'adapter';
}
