import type {
  Invoice,
  InvoiceCategory,
  InvoiceStatus as FinanceStatus,
  InvoiceSummary,
} from '../finance';
import type { PaymentHistory } from '../finance';
import type { FactInput } from '../policy';
import type { InvoiceStatus, InvoiceType } from '../policy';

/** The finance port speaks English; policies speak FAKTURA_V1's Norwegian status codes. */
export const POLICY_STATUS: Record<FinanceStatus, InvoiceStatus> = {
  PAID: 'BETALT',
  UNPAID: 'IKKE_BETALT',
  DEBT_COLLECTION_WARNING: 'INKASSOVARSEL',
  SENT_TO_DEBT_COLLECTION: 'SENDT_INKASSO',
  IN_DEBT_COLLECTION: 'INKASSO',
};

/** Finance categories as the policy's invoice types. */
export const POLICY_TYPE: Record<InvoiceCategory, InvoiceType> = {
  VANN_AVLOP: 'VANN_AVLOP',
  RENOVASJON: 'RENOVASJON',
  BARNEHAGE: 'BARNEHAGE',
  SFO: 'SFO',
  EIENDOMSSKATT: 'EIENDOMSSKATT',
  FEIING: 'OTHER',
  ANNET: 'OTHER',
};

export interface EarlierDeferral {
  invoiceId: string;
  /** Oslo date of the approval. */
  decidedOn: string;
}

export function alreadyDeferred(invoice: Invoice): boolean {
  return (
    invoice.dueDate !== invoice.originalDueDate ||
    invoice.history.some((e) => e.type === 'DUE_DATE_CHANGED')
  );
}

/**
 * Everything the policy may look at, gathered from the finance system and our own records.
 * Earlier deferrals are the finance system's due-date changes plus our approvals it may not have
 * received yet, counted once per invoice and day.
 */
export function factInput(args: {
  today: string;
  requestedDueDate: string;
  invoice: Invoice;
  allInvoices: readonly InvoiceSummary[];
  history: PaymentHistory;
  ourApprovals: readonly EarlierDeferral[];
}): FactInput {
  const { invoice, history } = args;
  const datesOf = (type: string) =>
    history.events.filter((e) => e.type === type).map((e) => e.date);
  const deferrals = new Map<string, string>();
  for (const e of history.events.filter((e) => e.type === 'DUE_DATE_CHANGED'))
    deferrals.set(`${e.invoiceId}:${e.date}`, e.date);
  for (const a of args.ourApprovals) deferrals.set(`${a.invoiceId}:${a.decidedOn}`, a.decidedOn);
  return {
    today: args.today,
    requestedDueDate: args.requestedDueDate,
    invoice: {
      amountOre: invoice.outstandingOre,
      type: POLICY_TYPE[invoice.category] ?? 'OTHER',
      status: POLICY_STATUS[invoice.status],
      dueDate: invoice.dueDate,
      inCollection: invoice.sentToExternal,
      alreadyDeferred: alreadyDeferred(invoice),
    },
    otherUnpaidInvoiceAmountsOre: args.allInvoices
      .filter((i) => i.id !== invoice.id && i.status !== 'PAID' && i.outstandingOre > 0)
      .map((i) => i.outstandingOre),
    deferralDates: [...deferrals.values()],
    latePaymentDates: datesOf('PAID_LATE'),
    reminderDates: datesOf('REMINDER_SENT'),
    collectionCaseDates: datesOf('SENT_TO_DEBT_COLLECTION'),
  };
}
