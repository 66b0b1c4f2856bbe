import type { FinanceTenant } from '../finance-tenant';

/** A tenant whose invoices come from the finance API at `baseUrl`. */
export function httpTenant(slug: string, baseUrl: string): FinanceTenant {
  return { id: `id-${slug}`, slug, settings: { financeAdapter: 'http', financeBaseUrl: baseUrl } };
}
