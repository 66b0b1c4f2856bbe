import type { Invoice, InvoiceCategory, InvoiceStatus } from '../../src/finance/invoice.model';
import { appendMarker, keyHashOf } from '../../src/finance/xledger/xledger-marker';
import { ACCOUNTS } from '../finance-server/demo-invoice-catalogue';
import type { DemoLedgerEntry } from '../finance-server/demo-invoices';
import type { XledgerArTransaction, XledgerEntity, XledgerSalesOrder } from './xledger-store';

/**
 * The transaction source (voucher type) each demo billing run posts with. Xledger has no notion of
 * the portal's categories; a municipality maps its own codes in `settings.xledger.categories`.
 */
export const DEMO_SOURCE_CODES: Record<InvoiceCategory, string> = {
  VANN_AVLOP: 'VA',
  RENOVASJON: 'RE',
  BARNEHAGE: 'BH',
  SFO: 'SFO',
  EIENDOMSSKATT: 'ES',
  FEIING: 'FE',
  ANNET: 'AR',
};

/** `settings.xledger.categories` for the demo entities: source code → category. */
export const DEMO_CATEGORIES = Object.fromEntries(
  Object.entries(DEMO_SOURCE_CODES).map(([category, code]) => [code, category]),
) as Record<string, InvoiceCategory>;

/**
 * `settings.xledger` for a demo entity, beside url and token: its payees per account (the
 * catalogue's property tax account has a payee of its own) and its source codes' categories.
 */
export function demoXledgerSettings(slug: string): Record<string, unknown> {
  const accounts = ACCOUNTS[slug] ?? ACCOUNTS.fjordvik;
  return {
    payee: accounts.main.payee,
    payees: Object.fromEntries(
      [accounts.main, accounts.propertyTax].map((a) => [a.accountNumber, a.payee]),
    ),
    categories: DEMO_CATEGORIES,
  };
}

/** The payment statuses (betalingsstatus) the demo entities use; Xledger lets each entity name its own. */
export const DEMO_PAYMENT_STATUS_NAMES: Record<InvoiceStatus, string> = {
  UNPAID: 'Åpen',
  PAID: 'Betalt',
  DEBT_COLLECTION_WARNING: 'Inkassovarsel',
  SENT_TO_DEBT_COLLECTION: 'Sendt til inkasso',
  IN_DEBT_COLLECTION: 'Inkasso',
};

const PAYMENT_SOURCE = { code: 'BK', dbId: 812 };
const INVOICE_SOURCE_DB_ID = 797;

export function kroner(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The demo residents' invoices as Xledger entities, one per municipality, each reached with its
 * own token: a company per resident holding the fødselsnummer, a customer on it, an AR
 * transaction per invoice and per payment (sharing a matchId), and a sales order with the lines.
 * Earlier deferrals carry the marker the portal writes, as if it had written them.
 */
export function seedXledger(
  ledger: readonly DemoLedgerEntry[],
  tokens: Readonly<Record<string, string>>,
): XledgerEntity[] {
  let nextId = 1_000_000;
  const id = () => String(++nextId);
  let nextMatch = 500;
  const entities = new Map<string, XledgerEntity>(
    Object.entries(tokens).map(([slug, token]) => [
      slug,
      { slug, token, companies: [], customers: [], arTransactions: [], salesOrders: [] },
    ]),
  );
  for (const entry of ledger) {
    const entity = entities.get(entry.municipality);
    if (!entity) continue;
    const company = { dbId: id(), companyNumber: entry.pid, description: entry.name };
    const customer = {
      dbId: id(),
      code: String(10_000 + entity.customers.length + 1),
      description: entry.name,
      companyDbId: company.dbId,
    };
    entity.companies.push(company);
    entity.customers.push(customer);
    for (const invoice of [...entry.invoices].reverse()) {
      const payments = invoice.history.filter((e) => e.type === 'PAYMENT_RECEIVED');
      const matchId = payments.length > 0 ? ++nextMatch : 0;
      entity.arTransactions.push(invoiceRow(invoice, id(), customer.dbId, matchId));
      for (const payment of payments) {
        entity.arTransactions.push({
          ...invoiceRow(invoice, id(), customer.dbId, matchId),
          invoiceDate: payment.date,
          dueDate: payment.date,
          amount: kroner(-(payment.amountOre ?? 0)),
          invoiceAmount: kroner(-(payment.amountOre ?? 0)),
          invoiceRemaining: '0.00',
          text: 'Innbetaling',
          reminderDate: null,
          interest: '0.00',
          lateFee: '0.00',
          paymentDate: payment.date,
          paymentStatus: null,
          headerTransactionSourceDbId: PAYMENT_SOURCE.dbId,
          transactionHeader: {
            postedDate: payment.date,
            transactionSource: { code: PAYMENT_SOURCE.code },
          },
        });
      }
      entity.salesOrders.push(salesOrder(invoice, id(), customer.dbId));
    }
  }
  return [...entities.values()];
}

function invoiceRow(
  invoice: Invoice,
  dbId: string,
  subledgerDbId: string,
  matchId: number,
): XledgerArTransaction {
  if (invoice.otherCostsOre !== 0) throw new Error('Xledger rows carry no other costs');
  const reminders = invoice.history.filter((e) => e.type === 'REMINDER_SENT');
  return {
    dbId,
    subledgerDbId,
    invoiceNumber: invoice.invoiceNumber,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    deferredDueDate: invoice.dueDate === invoice.originalDueDate ? null : invoice.dueDate,
    amount: kroner(invoice.amountOre),
    invoiceAmount: kroner(invoice.amountOre),
    invoiceRemaining: kroner(invoice.outstandingOre),
    paymentReference: invoice.kid,
    matchId,
    text: textWithDeferrals(invoice),
    reminderDate: reminders.at(-1)?.date ?? null,
    interest: kroner(invoice.interestOre),
    lateFee: kroner(invoice.feesOre),
    bankAccount: invoice.accountNumber,
    paymentDate: null,
    paymentStatus: { name: DEMO_PAYMENT_STATUS_NAMES[invoice.status] },
    headerTransactionSourceDbId: INVOICE_SOURCE_DB_ID,
    transactionHeader: {
      postedDate: invoice.invoiceDate,
      transactionSource: { code: DEMO_SOURCE_CODES[invoice.category] },
    },
  };
}

function textWithDeferrals(invoice: Invoice): string {
  let text = invoice.title;
  let previous = invoice.originalDueDate;
  for (const [n, change] of invoice.history
    .filter((e) => e.type === 'DUE_DATE_CHANGED')
    .entries()) {
    const dueDate = change.dueDate!;
    text = appendMarker(text, 'Betalingsutsettelse', {
      keyHash: keyHashOf(`demo-${invoice.id}-${n}`),
      previousDueDate: previous,
      dueDate,
      changedAt: `${change.date}T09:00:00.000Z`,
    });
    previous = dueDate;
  }
  return text;
}

function salesOrder(invoice: Invoice, dbId: string, subledgerDbId: string): XledgerSalesOrder {
  return {
    dbId,
    invoiceNumber: invoice.invoiceNumber,
    subledgerDbId,
    invoiceDate: invoice.invoiceDate,
    details: invoice.lines.map((line, i) => ({
      lineNumber: i + 1,
      text: line.description,
      quantity: line.quantity,
      unit: line.unit,
      unitPrice: kroner(line.unitPriceOre),
      amount: kroner(line.netOre),
      taxAmount: kroner(line.vatOre),
      product: { code: `P${String(i + 1).padStart(3, '0')}`, description: line.description },
    })),
  };
}
