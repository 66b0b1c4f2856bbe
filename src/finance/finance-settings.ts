import { FinanceUnavailableError } from './finance.errors';
import { financeWritesDueDatesOf } from './finance-capabilities';
import type { FinanceTenant } from './finance-tenant';
import { vismaSettingsProblem, type EnvLookup } from './visma/visma-settings';
import { xledgerSettingsProblem } from './xledger/xledger-settings';

export const FINANCE_ADAPTERS = ['embedded', 'http', 'visma', 'xledger'] as const;
export type FinanceAdapterKind = (typeof FINANCE_ADAPTERS)[number];

/** The adapter names as the settings errors list them: `"embedded", "http" or "visma"`. */
export const FINANCE_ADAPTER_CHOICES = FINANCE_ADAPTERS.map((a) => `"${a}"`)
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1');

/** Settings are loose JSON edited by operators: show what was found, short and on one line. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function notConfigured(tenant: FinanceTenant, problem: string): FinanceUnavailableError {
  return new FinanceUnavailableError('not-configured', `municipality ${tenant.slug}: ${problem}`);
}

/**
 * Which adapter serves the tenant; `embedded` when the setting is absent. A name it does not know
 * is a typed failure for that municipality, never the embedded ledger: a typo there would show
 * residents an empty invoice list instead of an error.
 */
export function financeAdapterOf(tenant: FinanceTenant): FinanceAdapterKind {
  const raw = tenant.settings.financeAdapter;
  if (raw === undefined) return 'embedded';
  if ((FINANCE_ADAPTERS as readonly unknown[]).includes(raw)) return raw as FinanceAdapterKind;
  throw notConfigured(
    tenant,
    `settings.financeAdapter must be ${FINANCE_ADAPTER_CHOICES}, got ${shown(raw)}`,
  );
}

/**
 * The tenant's finance API base URL, without a trailing slash; a missing or odd value is a typed
 * failure for that municipality, not a crash. The value is not repeated: it may hold credentials.
 */
export function financeBaseUrlOf(tenant: FinanceTenant): string {
  const raw = tenant.settings.financeBaseUrl;
  if (typeof raw === 'string') {
    try {
      const url = new URL(raw);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash) {
        return url.href.replace(/\/+$/, '');
      }
    } catch {
      // falls through to the error below
    }
  }
  throw notConfigured(
    tenant,
    'settings.financeBaseUrl must be an http(s) URL without query or fragment when financeAdapter is "http"',
  );
}

/**
 * What stops the tenant's finance system from being reached, as one line naming the municipality
 * and the setting, or undefined when its settings are complete. `apiKey` is the key configured for
 * it, if any; `env` is where secrets named by settings (the Visma client secret) are read.
 */
export function financeSettingsProblem(
  tenant: FinanceTenant,
  apiKey: string | undefined,
  env: EnvLookup = (name) => process.env[name],
): string | undefined {
  try {
    // Only the REST contract's systems may lack a write path; the other adapters always write.
    if (!financeWritesDueDatesOf(tenant) && financeAdapterOf(tenant) !== 'http')
      return `municipality ${tenant.slug}: settings.financeWritesDueDates is false, but only financeAdapter "http" can be without writes`;
    if (financeAdapterOf(tenant) === 'visma') return vismaSettingsProblem(tenant, env);
    if (financeAdapterOf(tenant) === 'xledger') return xledgerSettingsProblem(tenant, env);
    if (financeAdapterOf(tenant) !== 'http') return undefined;
    financeBaseUrlOf(tenant);
  } catch (error) {
    if (error instanceof FinanceUnavailableError) return error.message;
    throw error;
  }
  if (!apiKey) {
    return `municipality ${tenant.slug}: settings.financeAdapter is "http" but no finance API key is set (FINANCE_API_KEY or FINANCE_API_KEYS)`;
  }
  return undefined;
}
