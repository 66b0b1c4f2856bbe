import type { CollectionAgency, Invoice, InvoiceSummary } from '../finance';
import { isInCollection } from '../finance';
import { daysBetween, type IsoDate } from '../shared/calendar-date';

export interface InvoiceListView {
  open: (InvoiceSummary & { overdue: boolean; daysOverdue: number; inCollection: boolean })[];
  paid: InvoiceSummary[];
  totalOutstandingOre: number;
}

/**
 * Open invoices first, the most urgent (overdue, then soonest due) at the top; then paid ones,
 * newest first. Pure, so the order is tested without a server.
 */
export function arrangeInvoices(
  invoices: readonly InvoiceSummary[],
  today: IsoDate,
): InvoiceListView {
  const open = invoices
    .filter((i) => i.status !== 'PAID' && i.outstandingOre > 0)
    .map((i) => {
      const daysOverdue = Math.max(0, daysBetween(i.dueDate, today));
      return {
        ...i,
        overdue: daysOverdue > 0,
        daysOverdue,
        inCollection: isInCollection(i),
      };
    })
    .sort((a, b) =>
      a.dueDate === b.dueDate
        ? a.invoiceNumber.localeCompare(b.invoiceNumber)
        : a.dueDate < b.dueDate
          ? -1
          : 1,
    );
  const paid = invoices
    .filter((i) => i.status === 'PAID' || i.outstandingOre === 0)
    .sort((a, b) => (a.invoiceDate < b.invoiceDate ? 1 : -1));
  return { open, paid, totalOutstandingOre: open.reduce((sum, i) => sum + i.outstandingOre, 0) };
}

/** The due date's story: when it was first set and each change since, for the invoice page. */
export function dueDateChanges(invoice: Invoice): { date: IsoDate; dueDate: IsoDate }[] {
  return invoice.history
    .filter((event) => event.type === 'DUE_DATE_CHANGED' && event.dueDate)
    .map((event) => ({ date: event.date, dueDate: event.dueDate as IsoDate }));
}

/** An agency as the page shows it: its phone number also as a `tel:` link, digits and + only. */
export function collectorView(
  agency: CollectionAgency | null,
): (CollectionAgency & { phoneHref: string | null }) | null {
  if (!agency) return null;
  return { ...agency, phoneHref: agency.phone ? `tel:${agency.phone.replace(/ /g, '')}` : null };
}
