import { FinanceUnavailableError } from '../finance.errors';
import { checkInvoice } from '../invoice-consistency';
import type { InvoiceEvent, InvoiceLine, InvoiceSummary } from '../invoice.model';
import { isValidAccountNumber, isValidKid, normalizeAccountNumber } from '../kid';
import { sumOre } from '../money';
import type { PaymentEvent } from '../payment-history.model';
import { daysBetween, osloDateAt, type IsoDate } from '../../shared/calendar-date';
import { readMarkers, textWithoutMarkers, type DueDateMarker } from './xledger-marker';
import type { CollectionStatus, XledgerSettings } from './xledger-settings';
import type { ArRow, SalesOrderDetail } from './xledger-wire';

/** An AR transaction with the customer it belongs to. */
export interface LedgerRow extends ArRow {
  recipientName: string;
}

/** An invoice row, the payment rows sharing its matchId, and the portal's markers in its text. */
export interface LedgerInvoice {
  summary: InvoiceSummary;
  row: LedgerRow;
  settlements: LedgerRow[];
  markers: DueDateMarker[];
}

/**
 * The resident's invoices from their ledger rows, newest first: a row with a positive amount is
 * an invoice, one with a negative amount settles the invoice with its matchId (payments, credit).
 * Xledger's `invoiceRemaining` is read as what is left of the whole claim (amount, late fee and
 * interest); what was paid is the rest.
 */
export function invoicesOf(rows: readonly LedgerRow[], settings: XledgerSettings): LedgerInvoice[] {
  const settlementsOf = new Map<number, LedgerRow[]>();
  for (const row of rows) {
    if (row.invoiceAmount >= 0 || !row.matchId) continue;
    settlementsOf.set(row.matchId, [...(settlementsOf.get(row.matchId) ?? []), row]);
  }
  return rows
    .filter((row) => row.invoiceAmount > 0)
    .map((row) => {
      const markers = readMarkers(row.text);
      return {
        summary: summaryOf(row, markers, settings),
        row,
        settlements: row.matchId ? (settlementsOf.get(row.matchId) ?? []) : [],
        markers,
      };
    })
    .sort((a, b) =>
      a.summary.invoiceDate === b.summary.invoiceDate
        ? b.summary.invoiceNumber.localeCompare(a.summary.invoiceNumber)
        : a.summary.invoiceDate < b.summary.invoiceDate
          ? 1
          : -1,
    );
}

function summaryOf(
  row: LedgerRow,
  markers: readonly DueDateMarker[],
  settings: XledgerSettings,
): InvoiceSummary {
  const bad = (what: string) =>
    new FinanceUnavailableError('bad-response', `Xledger AR transaction ${row.dbId} ${what}`);
  if (row.dueDate === null) throw bad('is an invoice without a dueDate');
  const kid = row.paymentReference?.trim() ?? '';
  if (!isValidKid(kid)) throw bad('has a paymentReference that is not a valid KID');
  const accountNumber = row.bankAccount
    ? normalizeAccountNumber(row.bankAccount)
    : (settings.accountNumber ?? undefined);
  if (!accountNumber || !isValidAccountNumber(accountNumber)) {
    throw bad(
      row.bankAccount
        ? 'has a bankAccount that is not a valid account number'
        : 'has no bankAccount, and settings.xledger.accountNumber is not set',
    );
  }
  const feesOre = row.lateFee ?? 0;
  const interestOre = row.interest ?? 0;
  const totalOre = sumOre([row.invoiceAmount, feesOre, interestOre]);
  const outstandingOre = row.invoiceRemaining;
  const collection = collectionStatusOf(row, settings);
  const status = outstandingOre === 0 ? 'PAID' : (collection ?? 'UNPAID');
  const sentToExternal = status === 'SENT_TO_DEBT_COLLECTION' || status === 'IN_DEBT_COLLECTION';
  const summary: InvoiceSummary = {
    id: row.dbId,
    invoiceNumber: row.invoiceNumber,
    title: textWithoutMarkers(row.text) || `Faktura ${row.invoiceNumber}`,
    category: settings.categories[row.transactionHeader?.transactionSource?.code ?? ''] ?? 'ANNET',
    invoiceDate: row.invoiceDate,
    dueDate: row.dueDate,
    originalDueDate: markers[0]?.previousDueDate ?? row.dueDate,
    status,
    canBePaid: status !== 'PAID' && !sentToExternal,
    sentToExternal,
    collectionAgency: sentToExternal ? settings.collectionAgency : null,
    description: null,
    recipientName: row.recipientName,
    payee: settings.payees[accountNumber] ?? settings.payee,
    amountOre: row.invoiceAmount,
    paidOre: totalOre - outstandingOre,
    feesOre,
    interestOre,
    otherCostsOre: 0,
    totalOre,
    outstandingOre,
    accountNumber,
    kid,
    deliveryChannel: null,
  };
  const problem = checkInvoice(summary);
  if (problem) throw bad(`does not add up: ${problem}`);
  return summary;
}

function collectionStatusOf(row: ArRow, settings: XledgerSettings): CollectionStatus | undefined {
  const name = row.paymentStatus?.name;
  return name === undefined ? undefined : settings.paymentStatuses[name];
}

/**
 * Xledger keeps the latest reminder date and the payment status, not when the status was set: a
 * status event is dated at the reminder (or the due date), the earliest it can have happened.
 */
function statusEventOf(
  invoice: LedgerInvoice,
  settings: XledgerSettings,
): { type: 'DEBT_COLLECTION_WARNING' | 'SENT_TO_DEBT_COLLECTION'; date: IsoDate } | undefined {
  const status = collectionStatusOf(invoice.row, settings);
  if (!status) return undefined;
  const due = invoice.summary.originalDueDate;
  const reminder = invoice.row.reminderDate;
  const date = reminder !== null && reminder > due ? reminder : due;
  return {
    type:
      status === 'DEBT_COLLECTION_WARNING' ? 'DEBT_COLLECTION_WARNING' : 'SENT_TO_DEBT_COLLECTION',
    date,
  };
}

function paymentDateOf(row: LedgerRow): IsoDate {
  return row.transactionHeader?.postedDate ?? row.paymentDate ?? row.invoiceDate;
}

/** What happened to one invoice, oldest first. */
export function historyOf(invoice: LedgerInvoice, settings: XledgerSettings): InvoiceEvent[] {
  const { summary, row } = invoice;
  const events: InvoiceEvent[] = [
    {
      type: 'ISSUED',
      date: summary.invoiceDate,
      amountOre: summary.amountOre,
      dueDate: summary.originalDueDate,
    },
  ];
  if (row.reminderDate) {
    events.push({
      type: 'REMINDER_SENT',
      date: row.reminderDate,
      amountOre: summary.feesOre || null,
      dueDate: null,
    });
  }
  const status = statusEventOf(invoice, settings);
  if (status) events.push({ ...status, amountOre: null, dueDate: null });
  for (const payment of invoice.settlements) {
    events.push({
      type: 'PAYMENT_RECEIVED',
      date: paymentDateOf(payment),
      amountOre: -payment.invoiceAmount,
      dueDate: null,
    });
  }
  for (const marker of invoice.markers) {
    events.push({
      type: 'DUE_DATE_CHANGED',
      date: osloDateAt(new Date(marker.changedAt)),
      amountOre: null,
      dueDate: marker.dueDate,
    });
  }
  // Stable: ISSUED stays first among events of its day.
  return events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The invoice's part of the resident's payment history (sorted by `summarizePaymentEvents`). */
export function paymentEventsOf(invoice: LedgerInvoice, settings: XledgerSettings): PaymentEvent[] {
  const { summary } = invoice;
  const event = (
    type: PaymentEvent['type'],
    date: IsoDate,
    amountOre: number | null,
    daysLate: number | null,
  ): PaymentEvent => ({
    type,
    date,
    invoiceId: summary.id,
    invoiceNumber: summary.invoiceNumber,
    amountOre,
    daysLate,
  });
  const events: PaymentEvent[] = [];
  if (summary.status === 'PAID' && invoice.settlements.length > 0) {
    const paidOn = invoice.settlements.map(paymentDateOf).sort().at(-1)!;
    const late = daysBetween(summary.dueDate, paidOn);
    const paid = sumOre(invoice.settlements.map((s) => -s.invoiceAmount));
    events.push(
      event(late > 0 ? 'PAID_LATE' : 'PAID_ON_TIME', paidOn, paid, late > 0 ? late : null),
    );
  }
  if (invoice.row.reminderDate) {
    events.push(event('REMINDER_SENT', invoice.row.reminderDate, summary.feesOre || null, null));
  }
  const status = statusEventOf(invoice, settings);
  if (status) events.push(event(status.type, status.date, null, null));
  for (const marker of invoice.markers) {
    events.push(event('DUE_DATE_CHANGED', osloDateAt(new Date(marker.changedAt)), null, null));
  }
  return events;
}

/** A sales order's details as invoice lines; `amount` is net, `taxAmount` the VAT. */
export function linesOf(details: readonly SalesOrderDetail[]): InvoiceLine[] {
  return [...details]
    .sort((a, b) => (a.lineNumber ?? 0) - (b.lineNumber ?? 0))
    .map((d) => {
      const vatOre = d.taxAmount ?? 0;
      return {
        description: d.text || d.product?.description || d.product?.code || '',
        quantity: d.quantity,
        unit: d.unit ?? '',
        unitPriceOre: d.unitPrice,
        netOre: d.amount,
        vatRatePercent: d.amount === 0 ? 0 : Math.round((vatOre * 100) / d.amount),
        vatOre,
        totalOre: d.amount + vatOre,
      };
    });
}
