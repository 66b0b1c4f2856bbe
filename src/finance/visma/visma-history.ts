import type { InvoiceEvent } from '../invoice.model';
import type { Ore } from '../money';
import type { PaymentEvent } from '../payment-history.model';
import { daysBetween, osloDateAt, type IsoDate } from '../../shared/calendar-date';
import { parseMarks } from './visma-marker';
import type { VismaSettings } from './visma-settings';
import { toOre, type VismaInvoice, type VismaPayment } from './visma-wire';

/** Payments that count: released (Open or Closed) and not voids. */
const COUNTED_TYPES = new Set(['Payment', 'Prepayment']);
const COUNTED_STATUSES = new Set(['Open', 'Closed']);

interface Applied {
  date: IsoDate;
  amountOre: Ore;
}

/** What the payments applied to this invoice, oldest first. */
export function paymentsApplied(
  invoice: VismaInvoice,
  payments: readonly VismaPayment[],
): Applied[] {
  const applied: Applied[] = [];
  for (const payment of payments) {
    if (!COUNTED_TYPES.has(payment.type) || !COUNTED_STATUSES.has(payment.status)) continue;
    for (const line of payment.paymentLines ?? []) {
      if (line.documentType !== 'Invoice' || line.refNbr !== invoice.referenceNumber) continue;
      applied.push({
        date: payment.applicationDate,
        amountOre: toOre(line.amountPaid, 'a payment'),
      });
    }
  }
  return applied.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Visma keeps, per invoice, the level and date of the latest dunning letter and a debt collection
 * case without a date. Each level up to the current one is a letter (the configured level being
 * the debt collection warning); letters and the case are dated with the latest letter's date
 * (else the due date), the only date Visma gives for them.
 */
function dunningOf(invoice: VismaInvoice, settings: VismaSettings) {
  const date = invoice.dunningLetterDate ?? invoice.documentDueDate;
  const letters: { type: 'REMINDER_SENT' | 'DEBT_COLLECTION_WARNING'; date: IsoDate }[] = [];
  for (let level = 1; level <= (invoice.dunningLetterLevel ?? 0); level++) {
    const warning = level === settings.debtCollectionWarningLevel;
    letters.push({ type: warning ? 'DEBT_COLLECTION_WARNING' : 'REMINDER_SENT', date });
  }
  const collection = invoice.debtCollection?.caseNumber ? date : null;
  return { letters, collection };
}

function changesOf(invoice: VismaInvoice) {
  return parseMarks(invoice.note).map((m) => ({ date: osloDateAt(new Date(m.at)), dueDate: m.to }));
}

/** The invoice's events, oldest first (issued first on its day). */
export function invoiceHistory(
  invoice: VismaInvoice,
  payments: readonly VismaPayment[],
  settings: VismaSettings,
  originalDueDate: IsoDate,
): InvoiceEvent[] {
  const { letters, collection } = dunningOf(invoice, settings);
  const events: InvoiceEvent[] = [
    ...letters.map((l) => ({ type: l.type, date: l.date, amountOre: null, dueDate: null })),
    ...(collection
      ? [
          {
            type: 'SENT_TO_DEBT_COLLECTION' as const,
            date: collection,
            amountOre: null,
            dueDate: null,
          },
        ]
      : []),
    ...changesOf(invoice).map((c) => ({
      type: 'DUE_DATE_CHANGED' as const,
      date: c.date,
      amountOre: null,
      dueDate: c.dueDate,
    })),
    ...paymentsApplied(invoice, payments).map((p) => ({
      type: 'PAYMENT_RECEIVED' as const,
      date: p.date,
      amountOre: p.amountOre,
      dueDate: null,
    })),
  ];
  const issued: InvoiceEvent = {
    type: 'ISSUED',
    date: invoice.documentDate,
    amountOre: toOre(invoice.amount, 'amount'),
    dueDate: originalDueDate,
  };
  return [issued, ...byDate(events)];
}

/** The invoice's part of the resident's payment history. */
export function paymentEvents(
  invoice: VismaInvoice,
  payments: readonly VismaPayment[],
  settings: VismaSettings,
): PaymentEvent[] {
  const event = (type: PaymentEvent['type'], date: IsoDate): PaymentEvent => ({
    type,
    date,
    invoiceId: invoice.referenceNumber,
    invoiceNumber: invoice.referenceNumber,
    amountOre: null,
    daysLate: null,
  });
  const { letters, collection } = dunningOf(invoice, settings);
  const events = [
    ...letters.map((l) => event(l.type, l.date)),
    ...(collection ? [event('SENT_TO_DEBT_COLLECTION', collection)] : []),
    ...changesOf(invoice).map((c) => event('DUE_DATE_CHANGED', c.date)),
  ];
  // Settled is what counts as paid, on the day of the last payment that settled it.
  const applied = paymentsApplied(invoice, payments);
  if (invoice.status === 'Closed' && applied.length > 0) {
    const last = applied[applied.length - 1].date;
    const late = daysBetween(invoice.documentDueDate, last);
    events.push({
      ...event(late > 0 ? 'PAID_LATE' : 'PAID_ON_TIME', last),
      amountOre: applied.reduce((sum, p) => sum + p.amountOre, 0),
      daysLate: late > 0 ? late : null,
    });
  }
  return events;
}

function byDate<T extends { date: IsoDate }>(events: T[]): T[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : a.i - b.i))
    .map(({ e }) => e);
}
