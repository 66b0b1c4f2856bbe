import type {
  DeliveryChannel,
  Invoice,
  InvoiceCategory,
  InvoiceEvent,
  InvoiceLine,
} from '../../src/finance/invoice.model';
import { addDays, daysBetween, todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import { generateKid, type KidAlgorithm } from '../../src/finance/kid';
import { sumOre } from '../../src/finance/money';
import type { PaymentEvent } from '../../src/finance/payment-history.model';

/** Purregebyr, as Norwegian municipalities charge it. */
export const REMINDER_FEE_ORE = 7_000;
/** A made-up payee account with a valid MOD11 check digit. */
export const TEST_ACCOUNT_NUMBER = '15032412995';

/** What happens to an invoice after it is issued, in days relative to `today` (negative = past). */
export type InvoiceStep =
  | { type: 'PAYMENT'; day: number }
  | { type: 'REMINDER'; day: number }
  | { type: 'WARNING'; day: number }
  | { type: 'COLLECTION'; day: number; agency?: string }
  | { type: 'DEFERRAL'; day: number; newDueDay: number };

export interface LineOptions {
  description: string;
  quantity?: number;
  unit?: string;
  unitPriceOre: number;
  vatRatePercent?: number;
}

export interface InvoiceOptions {
  today?: IsoDate;
  /** Unique in the database; defaults to a fresh `inv-…` id. */
  id?: string;
  invoiceNumber?: string;
  category?: InvoiceCategory;
  title?: string;
  /** Days from `today` the invoice was issued; the default makes it open and not yet due. */
  issuedDay?: number;
  paymentTermDays?: number;
  channel?: DeliveryChannel | null;
  recipientName?: string;
  payee?: string;
  kidAlgorithm?: KidAlgorithm;
  /** Defaults to one line of `amountOre`. */
  lines?: LineOptions[];
  amountOre?: number;
  story?: InvoiceStep[];
}

/** An invoice with the payment events its story leaves in the resident's history. */
export interface FactoryInvoice {
  invoice: Invoice;
  paymentEvents: PaymentEvent[];
}

let sequence = 0;
const runTag = Math.random().toString(36).slice(2, 8);

function line(spec: LineOptions): InvoiceLine {
  const quantity = spec.quantity ?? 1;
  const netOre = Math.round((Math.round(quantity * 1000) * spec.unitPriceOre) / 1000);
  const vatRatePercent = spec.vatRatePercent ?? 0;
  const vatOre = Math.round((netOre * vatRatePercent) / 100);
  return {
    description: spec.description,
    quantity,
    unit: spec.unit ?? 'stk',
    unitPriceOre: spec.unitPriceOre,
    vatRatePercent,
    netOre,
    vatOre,
    totalOre: netOre + vatOre,
  };
}

/**
 * One invoice that adds up (`checkInvoice` accepts it), with a valid KID, whose status, fees and
 * history follow from `story`: a payment makes it PAID (late or on time against the due date then),
 * a deferral moves the due date, a collection hands it to an agency.
 */
export function invoiceFactory(options: InvoiceOptions = {}): FactoryInvoice {
  const n = ++sequence;
  const today = options.today ?? todayInNorway();
  const day = (offset: number) => addDays(today, offset);
  const invoiceDate = day(options.issuedDay ?? -16);
  const invoiceNumber =
    options.invoiceNumber ?? `${invoiceDate.slice(0, 4)}${String(n).padStart(6, '0')}`;
  const id = options.id ?? `inv-${runTag}-${n}`;
  const category = options.category ?? 'VANN_AVLOP';
  const title = options.title ?? `Testfaktura ${n}`;
  const lines = (
    options.lines ?? [
      { description: `${title}, gebyr`, unitPriceOre: options.amountOre ?? 250_000 },
    ]
  ).map(line);
  const amountOre = sumOre(lines.map((l) => l.totalOre));
  const originalDueDate = addDays(invoiceDate, options.paymentTermDays ?? 30);

  const history: InvoiceEvent[] = [
    { type: 'ISSUED', date: invoiceDate, amountOre, dueDate: originalDueDate },
  ];
  const paymentEvents: PaymentEvent[] = [];
  const record = (
    type: PaymentEvent['type'],
    date: IsoDate,
    amount: number | null,
    late: number | null,
  ) =>
    paymentEvents.push({
      type,
      date,
      invoiceId: id,
      invoiceNumber,
      amountOre: amount,
      daysLate: late,
    });

  let dueDate = originalDueDate;
  let feesOre = 0;
  let interestOre = 0;
  let paidOre = 0;
  let status: Invoice['status'] = 'UNPAID';
  let agency: string | null = null;
  for (const step of [...(options.story ?? [])].sort((a, b) => a.day - b.day)) {
    const date = day(step.day);
    switch (step.type) {
      case 'DEFERRAL':
        dueDate = day(step.newDueDay);
        history.push({ type: 'DUE_DATE_CHANGED', date, amountOre: null, dueDate });
        record('DUE_DATE_CHANGED', date, null, null);
        break;
      case 'REMINDER':
        feesOre += REMINDER_FEE_ORE;
        history.push({ type: 'REMINDER_SENT', date, amountOre: REMINDER_FEE_ORE, dueDate: null });
        record('REMINDER_SENT', date, REMINDER_FEE_ORE, null);
        break;
      case 'WARNING':
        status = 'DEBT_COLLECTION_WARNING';
        history.push({ type: 'DEBT_COLLECTION_WARNING', date, amountOre: null, dueDate: null });
        record('DEBT_COLLECTION_WARNING', date, null, null);
        break;
      case 'COLLECTION':
        status = 'SENT_TO_DEBT_COLLECTION';
        agency = step.agency ?? 'Testinkasso AS';
        // Late-payment interest at 12.5 % a year from the due date.
        interestOre = Math.round((amountOre * 125 * daysBetween(dueDate, date)) / 365_000);
        history.push({ type: 'SENT_TO_DEBT_COLLECTION', date, amountOre: null, dueDate: null });
        record('SENT_TO_DEBT_COLLECTION', date, null, null);
        break;
      case 'PAYMENT': {
        paidOre = amountOre + feesOre + interestOre;
        status = 'PAID';
        const late = daysBetween(dueDate, date);
        history.push({ type: 'PAYMENT_RECEIVED', date, amountOre: paidOre, dueDate: null });
        record(late > 0 ? 'PAID_LATE' : 'PAID_ON_TIME', date, paidOre, late > 0 ? late : null);
        break;
      }
    }
  }

  const totalOre = amountOre + feesOre + interestOre;
  const invoice: Invoice = {
    id,
    invoiceNumber,
    title,
    category,
    invoiceDate,
    dueDate,
    originalDueDate,
    status,
    canBePaid: status !== 'PAID' && agency === null,
    sentToExternal: agency !== null,
    description: agency === null ? null : `Kravet er sendt til ${agency}.`,
    recipientName: options.recipientName ?? 'Test Testesen',
    payee: options.payee ?? 'Testvik kommune',
    amountOre,
    paidOre,
    feesOre,
    interestOre,
    otherCostsOre: 0,
    totalOre,
    outstandingOre: totalOre - paidOre,
    accountNumber: TEST_ACCOUNT_NUMBER,
    kid: kidFor(
      `${String(n).padStart(6, '0')}${invoiceNumber.replace(/\D/g, '').slice(-10)}`,
      options.kidAlgorithm ?? 'MOD10',
    ),
    deliveryChannel: options.channel === undefined ? 'EFAKTURA' : options.channel,
    lines,
    history,
  };
  return { invoice, paymentEvents };
}

/** Some payment forms refuse MOD11's '-' check digit; vary a digit until it is numeric. */
function kidFor(base: string, algorithm: KidAlgorithm): string {
  for (let variant = 0; variant <= 9; variant++) {
    const kid = generateKid(`${base}${variant}`.slice(-24), algorithm);
    if (!kid.endsWith('-')) return kid;
  }
  throw new Error('unreachable: some variant digit gives a numeric check digit');
}
