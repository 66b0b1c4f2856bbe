import type { CollectionAgency, Invoice, InvoiceSummary } from './invoice.model';
import { sumOre } from './money';

/**
 * The arithmetic every invoice must satisfy, whichever system it comes from; returns what is wrong,
 * or undefined. Adapters refuse an invoice that fails, so a resident never sees a wrong amount.
 */
export function checkInvoice(invoice: InvoiceSummary | Invoice): string | undefined {
  const { amountOre, feesOre, interestOre, otherCostsOre, totalOre, paidOre, outstandingOre } =
    invoice;
  if ([amountOre, feesOre, interestOre, otherCostsOre, paidOre].some((v) => v < 0)) {
    return 'negative amount';
  }
  if (sumOre([amountOre, feesOre, interestOre, otherCostsOre]) !== totalOre) {
    return 'total is not amount + fees + interest + other costs';
  }
  if (totalOre - paidOre !== outstandingOre) return 'outstanding is not total − paid';
  if (outstandingOre < 0) return 'paid more than the total';
  if (invoice.status === 'PAID' && outstandingOre !== 0)
    return 'paid invoice with an outstanding amount';
  if (invoice.dueDate < invoice.invoiceDate) return 'due before it was issued';
  if (invoice.collectionAgency !== null && invoice.collectionAgency !== undefined) {
    const problem = checkCollectionAgency(invoice.collectionAgency);
    if (problem) return problem;
  }
  if (!('lines' in invoice)) return undefined;
  for (const line of invoice.lines) {
    if (line.netOre + line.vatOre !== line.totalOre)
      return 'a line whose net + VAT is not its total';
  }
  if (invoice.lines.length > 0 && sumOre(invoice.lines.map((l) => l.totalOre)) !== amountOre) {
    return 'lines do not add up to the amount';
  }
  return undefined;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Digits with spaces, an optional leading +: "+47 22 00 00 00", "22000000". */
const PHONE = /^\+?\d[\d ]{1,22}\d$/;

/**
 * The agency is shown to residents as text, a phone link and a link: no control characters, a
 * phone number made of digits, and only an https address (never `javascript:` or credentials).
 */
function checkCollectionAgency(agency: CollectionAgency): string | undefined {
  const name: unknown = (agency as Partial<CollectionAgency>)?.name;
  if (typeof name !== 'string' || name.trim() === '') return 'collection agency without a name';
  if (CONTROL.test(name)) return 'collection agency name with control characters';
  if (name.length > 100) return 'collection agency name longer than 100 characters';
  const { phone, url } = agency;
  if (phone !== null && (typeof phone !== 'string' || !PHONE.test(phone)))
    return 'collection agency phone number is not a phone number';
  if (url !== null && !isHttpsAddress(url))
    return 'collection agency address is not an https address';
  return undefined;
}

function isHttpsAddress(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 200 || CONTROL.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}
