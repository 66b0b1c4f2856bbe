import { addMonths, daysBetween, type IsoDate, toDayNumber } from '../../shared/calendar-date';
import {
  COLLECTION_STATUSES,
  type DeferralFacts,
  type InvoiceStatus,
  type InvoiceType,
} from './facts';

/** What the deferrals feature knows about one request, before any arithmetic. */
export interface FactInput {
  /** The Oslo calendar date the decision is made for; passed in so decisions can be replayed. */
  today: IsoDate;
  requestedDueDate: IsoDate;
  invoice: {
    amountOre: number;
    type: InvoiceType;
    status: InvoiceStatus;
    dueDate: IsoDate;
    /** The finance system's own collection flag, where it has one; a collection status implies it. */
    inCollection?: boolean;
    alreadyDeferred: boolean;
  };
  /** What is still owed on each of the resident's other unpaid invoices (this one excluded). */
  otherUnpaidInvoiceAmountsOre: readonly number[];
  /** Decision dates of the resident's earlier granted deferrals, on any invoice. */
  deferralDates: readonly IsoDate[];
  /** Due dates of invoices the resident paid late. */
  latePaymentDates: readonly IsoDate[];
  /** Dates payment reminders were sent. */
  reminderDates: readonly IsoDate[];
  /** Dates claims were sent to debt collection. */
  collectionCaseDates: readonly IsoDate[];
}

/** Pure: the same input always gives the same facts, and nothing here reads the clock. */
export function buildFacts(input: FactInput): DeferralFacts {
  const { today, requestedDueDate, invoice } = input;
  const daysUntilDue = daysBetween(today, invoice.dueDate);
  const thisInvoiceUnpaid = invoice.status !== 'BETALT';
  const unpaid = thisInvoiceUnpaid
    ? [invoice.amountOre, ...input.otherUnpaidInvoiceAmountsOre]
    : [...input.otherUnpaidInvoiceAmountsOre];
  return {
    amountOre: ore(invoice.amountOre, 'invoice.amountOre'),
    invoiceType: invoice.type,
    invoiceStatus: invoice.status,
    inCollection: invoice.inCollection === true || COLLECTION_STATUSES.includes(invoice.status),
    alreadyDeferred: invoice.alreadyDeferred,
    today,
    dueDate: invoice.dueDate,
    requestedDueDate,
    daysUntilDue,
    daysPastDue: Math.max(0, -daysUntilDue),
    requestedDays: daysBetween(invoice.dueDate, requestedDueDate),
    deferralsLast6Months: countSince(input.deferralDates, today, 6),
    deferralsLast12Months: countSince(input.deferralDates, today, 12),
    unpaidInvoiceCount: unpaid.length,
    unpaidTotalOre: sumOre(unpaid),
    latePaymentsLast12Months: countSince(input.latePaymentDates, today, 12),
    remindersLast12Months: countSince(input.reminderDates, today, 12),
    collectionCasesLast24Months: countSince(input.collectionCaseDates, today, 24),
  };
}

/**
 * Events on or after the same calendar day `months` months ago. Dates after today are counted too:
 * they can only come from a clock or data error, and counting them errs towards manual review.
 */
function countSince(dates: readonly IsoDate[], today: IsoDate, months: number): number {
  const start = toDayNumber(addMonths(today, -months));
  return dates.filter((date) => toDayNumber(date) >= start).length;
}

function ore(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole, non-negative number of øre, got ${value}`);
  }
  return value;
}

function sumOre(amounts: readonly number[]): number {
  const total = amounts.reduce((sum, amount, i) => sum + ore(amount, `unpaid invoice ${i}`), 0);
  return ore(total, 'the unpaid total');
}
