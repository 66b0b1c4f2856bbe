import type { Invoice, InvoiceSummary } from '../invoice.model';

/**
 * An invoice's summary, as the ledger stores it beside the document: the document without its
 * lines and history. Apart from the entity so the bench's data loader can write it without
 * loading MikroORM.
 */
export function summaryOf({ lines: _lines, history: _history, ...rest }: Invoice): InvoiceSummary {
  return rest;
}
