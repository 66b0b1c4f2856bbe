import { Injectable } from '@nestjs/common';
import type { ResidentIdentity } from '../auth';
import { isInCollection, type Invoice } from '../finance';
import type { CurrentMunicipality } from '../tenancy';
import { collectorView, dueDateChanges } from './invoice-view';

/** A part of the invoice page that another feature adds (e.g. the deferral form), as view data. */
export type InvoicePageSection = (
  municipality: CurrentMunicipality,
  resident: ResidentIdentity,
  invoice: Invoice,
) => Promise<Record<string, unknown>>;

/**
 * The invoice page's view model. Features that add to the page register a section here, so the
 * invoices feature knows none of them and they can render the page again (e.g. a refused form).
 */
@Injectable()
export class InvoicePage {
  private readonly sections: InvoicePageSection[] = [];

  addSection(section: InvoicePageSection): void {
    this.sections.push(section);
  }

  async model(
    municipality: CurrentMunicipality,
    resident: ResidentIdentity,
    invoice: Invoice,
    overrides: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const paid = invoice.status === 'PAID' || invoice.outstandingOre === 0;
    const inCollection = !paid && isInCollection(invoice);
    const model: Record<string, unknown> = {
      titleKey: 'invoices.invoice.title',
      invoice,
      changes: dueDateChanges(invoice),
      deferred: invoice.dueDate !== invoice.originalDueDate,
      paid,
      inCollection,
      collector: inCollection ? collectorView(invoice.collectionAgency) : null,
      // KID, account and payee only while paying the municipality is what the resident should do.
      payable: !paid && !inCollection,
    };
    for (const section of this.sections)
      Object.assign(model, await section(municipality, resident, invoice));
    return { ...model, ...overrides };
  }
}
