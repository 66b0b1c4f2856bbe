import {
  buildInvoice,
  type BuiltInvoice,
  type StoryStep,
} from '../../dev/finance-server/demo-invoice-builder';
import type {
  CollectionAgency,
  DeliveryChannel,
  InvoiceCategory,
} from '../../src/finance/invoice.model';
import type { KidAlgorithm } from '../../src/finance/kid';
import { todayInNorway, type IsoDate } from '../../src/shared/calendar-date';

/** A made-up payee account with a valid MOD11 check digit. */
export const TEST_ACCOUNT_NUMBER = '15032412995';

/** The collection agency a test's claim goes to unless the test says otherwise (or null: unknown). */
export const TEST_AGENCY: CollectionAgency = {
  name: 'Testinkasso AS',
  phone: '+47 21 00 00 00',
  url: 'https://testinkasso.example',
};

/** What happens to an invoice after it is issued, in days relative to `today` (negative = past). */
export type InvoiceStep =
  | Exclude<StoryStep, { type: 'COLLECTION' }>
  | { type: 'COLLECTION'; day: number; agency?: CollectionAgency | null };

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
export type FactoryInvoice = BuiltInvoice;

let sequence = 0;
const runTag = Math.random().toString(36).slice(2, 8);

/**
 * One invoice that adds up (`checkInvoice` accepts it), with a valid KID, whose status, fees and
 * history follow from `story`: the finance simulator's own invoice builder (the mechanism; none of
 * the demo's residents or invoices), with defaults a test need not spell out.
 */
export function invoiceFactory(options: InvoiceOptions = {}): FactoryInvoice {
  const n = ++sequence;
  const title = options.title ?? `Testfaktura ${n}`;
  const built = buildInvoice(
    {
      today: options.today ?? todayInNorway(),
      municipality: `inv-${runTag}`,
      recipientName: options.recipientName ?? 'Test Testesen',
      customerNumber: String(n).padStart(6, '0'),
    },
    {
      category: options.category ?? 'VANN_AVLOP',
      title,
      invoiceDay: options.issuedDay ?? -16,
      paymentTermDays: options.paymentTermDays ?? 30,
      channel: options.channel === undefined ? 'EFAKTURA' : options.channel,
      account: {
        payee: options.payee ?? 'Testvik kommune',
        accountNumber: TEST_ACCOUNT_NUMBER,
        kidAlgorithm: options.kidAlgorithm ?? 'MOD10',
      },
      lines: (
        options.lines ?? [
          { description: `${title}, gebyr`, unitPriceOre: options.amountOre ?? 250_000 },
        ]
      ).map((line) => ({ quantity: 1, unit: 'stk', ...line })),
      story: options.story?.map((step) =>
        step.type === 'COLLECTION'
          ? { ...step, agency: step.agency === undefined ? TEST_AGENCY : step.agency }
          : step,
      ),
    },
    n,
  );
  const id = options.id ?? built.invoice.id;
  const invoiceNumber = options.invoiceNumber ?? built.invoice.invoiceNumber;
  return {
    invoice: { ...built.invoice, id, invoiceNumber },
    paymentEvents: built.paymentEvents.map((event) => ({ ...event, invoiceId: id, invoiceNumber })),
  };
}
