import { FinanceUnavailableError } from './finance.errors';
import type { FinanceTenant } from './finance-tenant';

/**
 * Whether the system behind the REST contract takes due date changes: `settings.financeWritesDueDates`,
 * true when absent. An operator sets it to false for a system with no write path, whose new due
 * dates are then handed over to the finance team. Anything but a boolean is a typed failure for
 * that municipality (and refused at start-up), never a guess.
 */
export function financeWritesDueDatesOf(tenant: FinanceTenant): boolean {
  const raw = tenant.settings.financeWritesDueDates;
  if (raw === undefined) return true;
  if (typeof raw === 'boolean') return raw;
  throw new FinanceUnavailableError(
    'not-configured',
    `municipality ${tenant.slug}: settings.financeWritesDueDates must be true or false`,
  );
}
