import type {
  CollectionAgency,
  DeliveryChannel,
  Invoice,
  InvoiceCategory,
  InvoiceEvent,
  InvoiceLine,
} from '../../src/finance/invoice.model';
import { addDays, daysBetween, type IsoDate } from '../../src/shared/calendar-date';
import { generateKid, type KidAlgorithm } from '../../src/finance/kid';
import { sumOre } from '../../src/finance/money';
import type { PaymentEvent } from '../../src/finance/payment-history.model';

/** Purregebyr: a tenth of the inkassosats (700 kr). */
export const REMINDER_FEE_ORE = 7_000;
/** Forsinkelsesrente, per mille per year. */
const LATE_INTEREST_PER_MILLE = 125;

export interface PayeeAccount {
  payee: string;
  accountNumber: string;
  kidAlgorithm: KidAlgorithm;
}

export interface LineSpec {
  description: string;
  quantity: number;
  unit: string;
  unitPriceOre: number;
  vatRatePercent?: number;
}

/** What happens to an invoice, in days relative to "today" (negative = past). */
export type StoryStep =
  | { type: 'PAYMENT'; day: number }
  | { type: 'REMINDER'; day: number }
  | { type: 'WARNING'; day: number }
  /** `agency`: who has the claim, or null when the finance system does not say. */
  | { type: 'COLLECTION'; day: number; agency: CollectionAgency | null }
  | { type: 'DEFERRAL'; day: number; newDueDay: number };

export interface InvoiceSpec {
  category: InvoiceCategory;
  title: string;
  invoiceDay: number;
  paymentTermDays: number;
  channel: DeliveryChannel | null;
  account: PayeeAccount;
  lines: LineSpec[];
  story?: StoryStep[];
}

export interface BuildContext {
  today: IsoDate;
  municipality: string;
  recipientName: string;
  customerNumber: string;
}

export interface BuiltInvoice {
  invoice: Invoice;
  paymentEvents: PaymentEvent[];
}

export function buildLine(spec: LineSpec): InvoiceLine {
  // Quantities have at most three decimals; scaling keeps the multiplication exact.
  const milli = Math.round(spec.quantity * 1000);
  const netOre = Math.round((milli * spec.unitPriceOre) / 1000);
  const vatRatePercent = spec.vatRatePercent ?? 0;
  const vatOre = Math.round((netOre * vatRatePercent) / 100);
  return { ...spec, vatRatePercent, netOre, vatOre, totalOre: netOre + vatOre };
}

/** `sequence` numbers the municipality's invoices in date order; the year prefixes it. */
export function buildInvoice(ctx: BuildContext, spec: InvoiceSpec, sequence: number): BuiltInvoice {
  const day = (offset: number) => addDays(ctx.today, offset);
  const invoiceDate = day(spec.invoiceDay);
  const invoiceNumber = `${invoiceDate.slice(0, 4)}${String(sequence).padStart(6, '0')}`;
  const id = `${ctx.municipality}-${invoiceNumber}`;
  const lines = spec.lines.map(buildLine);
  const amountOre = sumOre(lines.map((l) => l.totalOre));
  const originalDueDate = addDays(invoiceDate, spec.paymentTermDays);

  const history: InvoiceEvent[] = [
    { type: 'ISSUED', date: invoiceDate, amountOre, dueDate: originalDueDate },
  ];
  const paymentEvents: PaymentEvent[] = [];
  const paymentEvent = (
    type: PaymentEvent['type'],
    date: IsoDate,
    amount: number | null,
    daysLate: number | null,
  ) =>
    paymentEvents.push({ type, date, invoiceId: id, invoiceNumber, amountOre: amount, daysLate });

  let dueDate = originalDueDate;
  let feesOre = 0;
  let interestOre = 0;
  let paidOre = 0;
  let status: Invoice['status'] = 'UNPAID';
  let sentToCollection = false;
  let agency: CollectionAgency | null = null;
  for (const step of [...(spec.story ?? [])].sort((a, b) => a.day - b.day)) {
    const date = day(step.day);
    switch (step.type) {
      case 'DEFERRAL':
        dueDate = day(step.newDueDay);
        history.push({ type: 'DUE_DATE_CHANGED', date, amountOre: null, dueDate });
        paymentEvent('DUE_DATE_CHANGED', date, null, null);
        break;
      case 'REMINDER':
        feesOre += REMINDER_FEE_ORE;
        history.push({ type: 'REMINDER_SENT', date, amountOre: REMINDER_FEE_ORE, dueDate: null });
        paymentEvent('REMINDER_SENT', date, REMINDER_FEE_ORE, null);
        break;
      case 'WARNING':
        status = 'DEBT_COLLECTION_WARNING';
        history.push({ type: 'DEBT_COLLECTION_WARNING', date, amountOre: null, dueDate: null });
        paymentEvent('DEBT_COLLECTION_WARNING', date, null, null);
        break;
      case 'COLLECTION':
        status = 'SENT_TO_DEBT_COLLECTION';
        sentToCollection = true;
        agency = step.agency;
        interestOre = Math.round(
          (amountOre * LATE_INTEREST_PER_MILLE * daysBetween(dueDate, date)) / (1000 * 365),
        );
        history.push({ type: 'SENT_TO_DEBT_COLLECTION', date, amountOre: null, dueDate: null });
        paymentEvent('SENT_TO_DEBT_COLLECTION', date, null, null);
        break;
      case 'PAYMENT': {
        paidOre = amountOre + feesOre + interestOre;
        status = 'PAID';
        const late = daysBetween(dueDate, date);
        history.push({ type: 'PAYMENT_RECEIVED', date, amountOre: paidOre, dueDate: null });
        paymentEvent(
          late > 0 ? 'PAID_LATE' : 'PAID_ON_TIME',
          date,
          paidOre,
          late > 0 ? late : null,
        );
        break;
      }
    }
  }

  const totalOre = amountOre + feesOre + interestOre;
  const invoice: Invoice = {
    id,
    invoiceNumber,
    title: spec.title,
    category: spec.category,
    invoiceDate,
    dueDate,
    originalDueDate,
    status,
    canBePaid: status !== 'PAID' && !sentToCollection,
    sentToExternal: sentToCollection,
    collectionAgency: agency,
    description: !sentToCollection
      ? null
      : agency === null
        ? 'Kravet er sendt til inkasso.'
        : `Kravet er sendt til ${agency.name}. Kontakt ${agency.name} om betaling.`,
    recipientName: ctx.recipientName,
    payee: spec.account.payee,
    amountOre,
    paidOre,
    feesOre,
    interestOre,
    otherCostsOre: 0,
    totalOre,
    outstandingOre: totalOre - paidOre,
    accountNumber: spec.account.accountNumber,
    kid: kidFor(`${ctx.customerNumber}${invoiceNumber}`, spec.account.kidAlgorithm),
    deliveryChannel: spec.channel,
    lines,
    history,
  };
  return { invoice, paymentEvents };
}

/** Billing systems avoid MOD11's '-' check digit (some payment forms refuse it) by varying a digit. */
function kidFor(base: string, algorithm: KidAlgorithm): string {
  for (let variant = 0; variant <= 9; variant++) {
    const kid = generateKid(`${base}${variant}`, algorithm);
    if (!kid.endsWith('-')) return kid;
  }
  throw new Error('unreachable: some variant digit always gives a numeric check digit');
}
