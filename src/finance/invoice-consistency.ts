import type { Invoice, InvoiceSummary } from './invoice.model';
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
