import { formatMark } from '../../src/finance/visma/visma-marker';
import type { Invoice, InvoiceCategory } from '../../src/finance/invoice.model';
import type { PaymentEvent } from '../../src/finance/payment-history.model';
import type { DemoLedgerEntry } from '../finance-server/demo-invoices';

/* The demo ledger (the same stories the dev finance server and the embedded ledger tell) as
   Visma.net ERP documents: customer cards, customer invoices and customer payments, in the
   shapes of the v1 API's CustomerDto, CustomerInvoiceDto and PaymentDto. */

/** Item numbers of the municipal services on invoice lines; the adapter's `categoryByItem`. */
export const DEMO_VISMA_ITEMS: Record<InvoiceCategory, string> = {
  VANN_AVLOP: 'VA-100',
  RENOVASJON: 'RE-100',
  BARNEHAGE: 'BH-100',
  SFO: 'SFO-100',
  EIENDOMSSKATT: 'ES-100',
  FEIING: 'FE-100',
  ANNET: 'DIV-100',
};

/** The customer attribute some municipalities keep the identity number in, instead of Corporate ID. */
export const DEMO_IDENTITY_ATTRIBUTE = 'FNR';

export interface VismaCompany {
  customers: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  payments: Record<string, unknown>[];
}

const VAT_CODES: Record<number, string> = { 25: '3', 15: '31', 12: '33', 0: '5' };
const vatCodeOf = (rate: number) => VAT_CODES[rate] ?? `R${rate}`;
const kr = (ore: number) => ore / 100;
const at = (date: string) => `${date}T00:00:00`;

/** One Visma company per municipality in the ledger; customer numbers count from 10001. */
export function vismaCompaniesFrom(ledger: readonly DemoLedgerEntry[]): Map<string, VismaCompany> {
  const companies = new Map<string, VismaCompany>();
  for (const entry of ledger) {
    let company = companies.get(entry.municipality);
    if (!company) {
      company = { customers: [], invoices: [], payments: [] };
      companies.set(entry.municipality, company);
    }
    const number = String(10_001 + company.customers.length);
    const customer = { number, name: entry.name };
    company.customers.push({
      internalId: 5000 + company.customers.length,
      number,
      name: entry.name,
      status: 'Active',
      corporateId: entry.pid,
      attributes: [{ id: DEMO_IDENTITY_ATTRIBUTE, value: entry.pid, description: 'Fødselsnummer' }],
    });
    for (const invoice of entry.invoices) company.invoices.push(vismaInvoice(invoice, customer));
    for (const event of entry.paymentEvents) {
      const invoice = entry.invoices.find((i) => i.id === event.invoiceId);
      if (invoice) company.payments.push(...vismaPayment(event, invoice, customer, company));
    }
  }
  return companies;
}

function vismaInvoice(invoice: Invoice, customer: { number: string; name: string }) {
  const paid = invoice.status === 'PAID';
  const dunning = invoice.history.filter(
    (e) => e.type === 'REMINDER_SENT' || e.type === 'DEBT_COLLECTION_WARNING',
  );
  const collected = invoice.history.some((e) => e.type === 'SENT_TO_DEBT_COLLECTION');
  const item = DEMO_VISMA_ITEMS[invoice.category];
  const rates = [...new Set(invoice.lines.map((l) => l.vatRatePercent))];
  return {
    documentType: 'Invoice',
    referenceNumber: invoice.invoiceNumber,
    status: paid ? 'Closed' : 'Open',
    hold: false,
    customer,
    documentDate: at(invoice.invoiceDate),
    documentDueDate: at(invoice.dueDate),
    invoiceText: invoice.title,
    currencyId: 'NOK',
    // Reminder fees and interest are overdue charge documents in Visma, not part of the invoice.
    amount: kr(invoice.amountOre),
    amountInCurrency: kr(invoice.amountOre),
    balance: paid ? 0 : kr(invoice.amountOre - Math.min(invoice.paidOre, invoice.amountOre)),
    detailTotal: kr(invoice.lines.reduce((s, l) => s + l.netOre, 0)),
    vatTotal: kr(invoice.lines.reduce((s, l) => s + l.vatOre, 0)),
    paymentReference: invoice.kid,
    dunningLetterLevel: dunning.length,
    dunningLetterDate: dunning.length > 0 ? at(dunning[dunning.length - 1].date) : null,
    debtCollection: collected
      ? {
          caseNumber: `INK-${invoice.invoiceNumber}`,
          caseType: 'Collection',
          caseStatus: 'Active',
          caseUrl: null,
        }
      : null,
    note: earlierChanges(invoice),
    invoiceLines: invoice.lines.map((line, i) => ({
      lineNumber: i + 1,
      inventoryNumber: item,
      description: line.description,
      quantity: line.quantity,
      unitPrice: kr(line.unitPriceOre),
      unitPriceInCurrency: kr(line.unitPriceOre),
      amount: kr(line.netOre),
      amountInCurrency: kr(line.netOre),
      uom: line.unit,
      vatCode: { id: vatCodeOf(line.vatRatePercent), description: `${line.vatRatePercent} %` },
    })),
    taxDetails: rates.map((rate) => {
      const lines = invoice.lines.filter((l) => l.vatRatePercent === rate);
      return {
        taxId: vatCodeOf(rate),
        vatId: { number: vatCodeOf(rate), description: `${rate} %` },
        vatRate: rate,
        taxableAmount: kr(lines.reduce((s, l) => s + l.netOre, 0)),
        vatAmount: kr(lines.reduce((s, l) => s + l.vatOre, 0)),
      };
    }),
  };
}

/** Deferrals in the story were made through the portal, so they carry its marks. */
function earlierChanges(invoice: Invoice): string | null {
  let previous = invoice.originalDueDate;
  const lines = invoice.history
    .filter((e) => e.type === 'DUE_DATE_CHANGED' && e.dueDate)
    .map((e, i) => {
      const line = formatMark({
        from: previous,
        to: e.dueDate!,
        at: `${e.date}T09:00:00.000Z`,
        key: `demo-${invoice.invoiceNumber}-${i + 1}`,
        reason: 'Utsettelse innvilget',
      });
      previous = e.dueDate!;
      return line;
    });
  return lines.length > 0 ? lines.join('\n') : null;
}

function vismaPayment(
  event: PaymentEvent,
  invoice: Invoice,
  customer: { number: string; name: string },
  company: VismaCompany,
) {
  if (event.type !== 'PAID_ON_TIME' && event.type !== 'PAID_LATE') return [];
  return [
    {
      type: 'Payment',
      refNbr: String(900_001 + company.payments.length),
      status: 'Closed',
      hold: false,
      applicationDate: at(event.date),
      financialDetails: { paymentDate: at(event.date) },
      paymentRef: invoice.kid,
      customer,
      currency: 'NOK',
      paymentAmount: kr(invoice.amountOre),
      paymentLines: [
        {
          documentType: 'Invoice',
          refNbr: invoice.invoiceNumber,
          amountPaid: kr(invoice.amountOre),
          date: at(invoice.invoiceDate),
          dueDate: at(invoice.dueDate),
          balance: 0,
        },
      ],
    },
  ];
}
