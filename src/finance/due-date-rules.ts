import { IN_COLLECTION_STATUSES, type InvoiceSummary } from './invoice.model';
import { addDays, type IsoDate } from '../shared/calendar-date';

/** How far past the printed due date a deferral may reach, in any finance system we serve. */
export const MAX_DAYS_PAST_ORIGINAL_DUE = 180;

export type DueDateCheck = { ok: true } | { ok: false; code: string; detail: string };

/**
 * What a finance system itself refuses, whatever the municipality's policy says: moving a paid
 * claim, one with a collection agency, a date that is not later, or one too far out.
 */
export function checkDueDateChange(
  invoice: InvoiceSummary,
  newDueDate: IsoDate,
  today: IsoDate,
): DueDateCheck {
  if (invoice.status === 'PAID' || invoice.outstandingOre === 0) {
    return { ok: false, code: 'INVOICE_PAID', detail: 'The invoice is paid' };
  }
  if (IN_COLLECTION_STATUSES.includes(invoice.status)) {
    return {
      ok: false,
      code: 'INVOICE_IN_DEBT_COLLECTION',
      detail: 'The claim is with a debt collection agency',
    };
  }
  const floor = invoice.dueDate > today ? invoice.dueDate : today;
  if (newDueDate <= floor) {
    return {
      ok: false,
      code: 'DUE_DATE_NOT_LATER',
      detail: `The new due date must be after ${floor}`,
    };
  }
  const ceiling = addDays(invoice.originalDueDate, MAX_DAYS_PAST_ORIGINAL_DUE);
  if (newDueDate > ceiling) {
    return {
      ok: false,
      code: 'DUE_DATE_TOO_LATE',
      detail: `The new due date must be on or before ${ceiling}`,
    };
  }
  return { ok: true };
}
