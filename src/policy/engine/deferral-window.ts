import { addDays, daysBetween, type IsoDate, toDayNumber } from '../../shared/calendar-date';
import { COLLECTION_STATUSES, type DeferralFacts } from './facts';
import type { Policy } from '../policy.types';

export type InvoiceForWindow = Pick<
  DeferralFacts,
  'today' | 'dueDate' | 'invoiceStatus' | 'inCollection' | 'alreadyDeferred'
>;

export type WindowRefusal =
  'in-collection' | 'invoice-not-open' | 'already-deferred' | 'too-early' | 'too-late';

export type DeferralWindow =
  | {
      readonly allowed: true;
      /** First and last new due date the form may offer, both inclusive. */
      readonly earliestNewDueDate: IsoDate;
      readonly latestNewDueDate: IsoDate;
      /** The last day a request is accepted at all. */
      readonly closesOn: IsoDate;
    }
  | {
      readonly allowed: false;
      readonly reason: WindowRefusal;
      /** For `too-early`: the first day the resident may ask. */
      readonly opensOn?: IsoDate;
    };

/**
 * What the deferral form may offer for one invoice, from the policy's parameters: asking opens
 * `earliestDaysBeforeDue` before the due date and closes `latestDaysAfterDue` after it; the new due
 * date lies between due date + `minDeferralDays` (never before tomorrow) and due date + `maxDeferralDays`.
 * Requests the policy will send to review (asked after the due date, for instance) are still allowed here.
 */
export function allowedDeferralWindow(policy: Policy, invoice: InvoiceForWindow): DeferralWindow {
  const { parameters: p } = policy;
  const { today, dueDate } = invoice;
  if (invoice.inCollection || COLLECTION_STATUSES.includes(invoice.invoiceStatus))
    return { allowed: false, reason: 'in-collection' };
  if (!p.openInvoiceStatuses.value.includes(invoice.invoiceStatus))
    return { allowed: false, reason: 'invoice-not-open' };
  if (invoice.alreadyDeferred) return { allowed: false, reason: 'already-deferred' };
  const daysUntilDue = daysBetween(today, dueDate);
  if (daysUntilDue > p.earliestDaysBeforeDue.value) {
    return {
      allowed: false,
      reason: 'too-early',
      opensOn: addDays(dueDate, -p.earliestDaysBeforeDue.value),
    };
  }
  const closesOn = addDays(dueDate, p.latestDaysAfterDue.value);
  const earliest = laterOf(addDays(dueDate, p.minDeferralDays.value), addDays(today, 1));
  const latest = addDays(dueDate, p.maxDeferralDays.value);
  if (toDayNumber(today) > toDayNumber(closesOn) || toDayNumber(earliest) > toDayNumber(latest)) {
    return { allowed: false, reason: 'too-late' };
  }
  return { allowed: true, earliestNewDueDate: earliest, latestNewDueDate: latest, closesOn };
}

function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return toDayNumber(a) >= toDayNumber(b) ? a : b;
}
