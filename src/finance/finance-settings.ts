import { FinanceUnavailableError } from './finance.errors';
import type { FinanceTenant } from './finance-tenant';

export type FinanceAdapterKind = 'embedded' | 'http';

/** Which adapter serves the tenant; `embedded` unless the settings say otherwise. */
export function financeAdapterOf(tenant: FinanceTenant): FinanceAdapterKind {
  return tenant.settings.financeAdapter === 'http' ? 'http' : 'embedded';
}

/**
 * The tenant's finance API base URL, without a trailing slash. Settings are loose JSON edited by
 * operators, so a missing or odd value is a typed failure for that municipality, not a crash.
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
  throw new FinanceUnavailableError(
    'not-configured',
    `Municipality ${tenant.slug} has no valid financeBaseUrl setting (an http(s) URL)`,
  );
}
