import { FinanceUnavailableError } from '../finance.errors';
import { checkInvoice } from '../invoice-consistency';
import type {
  Invoice,
  InvoiceCategory,
  InvoiceEvent,
  InvoiceLine,
  InvoiceStatus,
  InvoiceSummary,
} from '../invoice.model';
import { isValidKid } from '../kid';
import { parseMarks } from './visma-marker';
import type { VismaSettings } from './visma-settings';
import { toOre, type VismaInvoice } from './visma-wire';

/**
 * Visma statuses a resident sees: released and sent (Open) or settled (Closed). Drafts (Hold,
 * Balanced), scheduled, voided and held-for-credit documents are not theirs to see yet, or any more.
 */
const SHOWN_STATUSES = new Set(['Open', 'Closed']);

export function isShown(invoice: VismaInvoice): boolean {
  const type = invoice.documentType ?? 'Invoice';
  return type === 'Invoice' && SHOWN_STATUSES.has(invoice.status);
}

/**
 * Our model from Visma's invoice. Reminder fees and interest are separate documents in Visma
 * (overdue charges), so an invoice's total is its amount; what is paid is amount − balance.
 */
export function summaryFromVisma(invoice: VismaInvoice, settings: VismaSettings): InvoiceSummary {
  const category = categoryOf(invoice, settings);
  const payee = settings.payeeByCategory[category] ?? settings.payee;
  const amountOre = toOre(invoice.amount, 'amount');
  const outstandingOre = toOre(invoice.balance, 'balance');
  const inCollection = Boolean(invoice.debtCollection?.caseNumber);
  const status = statusOf(invoice, inCollection, settings);
  const kid = invoice.paymentReference ?? '';
  if (!isValidKid(kid)) throw malformed(`invoice ${invoice.referenceNumber} has no valid KID`);
  const [firstChange] = parseMarks(invoice.note);
  return checked({
    id: invoice.referenceNumber,
    invoiceNumber: invoice.referenceNumber,
    title: invoice.invoiceText?.trim() || `Faktura ${invoice.referenceNumber}`,
    category,
    invoiceDate: invoice.documentDate,
    dueDate: invoice.documentDueDate,
    // Visma keeps one due date; the first date the portal moved is the one first printed.
    originalDueDate: firstChange?.from ?? invoice.documentDueDate,
    status,
    canBePaid: (status === 'UNPAID' || status === 'DEBT_COLLECTION_WARNING') && outstandingOre > 0,
    sentToExternal: inCollection,
    collectionAgency: inCollection ? settings.collectionAgency : null,
    description: null,
    recipientName: invoice.customer.name ?? '',
    payee: payee.name,
    amountOre,
    paidOre: amountOre - outstandingOre,
    feesOre: 0,
    interestOre: 0,
    otherCostsOre: 0,
    totalOre: amountOre,
    outstandingOre,
    accountNumber: payee.accountNumber,
    kid,
    deliveryChannel: null,
  });
}

export function invoiceFromVisma(
  invoice: VismaInvoice,
  settings: VismaSettings,
  history: InvoiceEvent[],
): Invoice {
  return checked({ ...summaryFromVisma(invoice, settings), lines: linesOf(invoice), history });
}

function statusOf(
  invoice: VismaInvoice,
  inCollection: boolean,
  settings: VismaSettings,
): InvoiceStatus {
  if (invoice.status === 'Closed') return 'PAID';
  if (inCollection) return 'SENT_TO_DEBT_COLLECTION';
  const level = invoice.dunningLetterLevel ?? 0;
  return level >= settings.debtCollectionWarningLevel ? 'DEBT_COLLECTION_WARNING' : 'UNPAID';
}

function categoryOf(invoice: VismaInvoice, settings: VismaSettings): InvoiceCategory {
  for (const line of invoice.invoiceLines ?? []) {
    const category = line.inventoryNumber && settings.categoryByItem[line.inventoryNumber];
    if (category) return category;
  }
  return 'ANNET';
}

/**
 * Visma gives each line's net amount and VAT code, and the VAT per code for the whole document.
 * Each code's VAT is shared among its lines by net amount (largest remainder), so the lines add up
 * to the document to the øre, as the resident's bill does.
 */
function linesOf(invoice: VismaInvoice): InvoiceLine[] {
  const lines = invoice.invoiceLines ?? [];
  const nets = lines.map((l) => toOre(l.amount, 'a line amount'));
  const vat = new Array<number>(lines.length).fill(0);
  const rate = new Array<number>(lines.length).fill(0);
  for (const tax of invoice.taxDetails ?? []) {
    const code = tax.vatId?.number;
    const members = lines.flatMap((l, i) => (code && l.vatCode?.id === code ? [i] : []));
    if (members.length === 0) continue;
    const shares = shareOut(
      toOre(tax.vatAmount, 'a VAT amount'),
      members.map((i) => nets[i]),
    );
    members.forEach((i, k) => {
      vat[i] = shares[k];
      rate[i] = tax.vatRate;
    });
  }
  return lines.map((line, i) => ({
    description: line.description?.trim() || line.inventoryNumber || '',
    quantity: line.quantity,
    unit: line.uom ?? '',
    unitPriceOre: Math.round(line.unitPrice * 100),
    netOre: nets[i],
    vatRatePercent: rate[i],
    vatOre: vat[i],
    totalOre: nets[i] + vat[i],
  }));
}

/** `total` split in proportion to `weights` (whole øre, largest remainders first). */
export function shareOut(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]++;
    left--;
  }
  return shares;
}

function checked<T extends InvoiceSummary>(invoice: T): T {
  const problem = checkInvoice(invoice);
  if (problem) throw malformed(`invoice ${invoice.id}: ${problem}`);
  return invoice;
}

export function malformed(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError(
    'bad-response',
    `Inconsistent invoice from the finance system: ${what}`,
  );
}
