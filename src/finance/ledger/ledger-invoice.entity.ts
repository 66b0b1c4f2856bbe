import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { JsonTextType } from '../../database';
import type { Invoice, InvoiceSummary } from '../invoice.model';
import { summaryOf } from './invoice-summary';

/**
 * An invoice in the embedded ledger: the whole FAKTURA_V1-shaped document, with the fields that
 * are searched or changed as columns. The document is the truth; columns mirror it.
 */
@Entity({ tableName: 'ledger_invoices' })
@Index({ properties: ['municipalityId', 'pid'] })
@Unique({ properties: ['municipalityId', 'invoiceNumber'] })
export class LedgerInvoice {
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** The resident the invoice is addressed to (national identity number). */
  @Property({ type: 'string', length: 11 })
  pid!: string;

  @Property({ type: 'string', length: 40 })
  invoiceNumber!: string;

  @Property({ type: 'string', length: 32 })
  status!: string;

  @Property({ type: 'string', length: 10 })
  invoiceDate!: string;

  @Property({ type: 'string', length: 10 })
  dueDate!: string;

  /**
   * Text, not jsonb: read whole on every page and decision (all of a resident's invoices at once),
   * never searched inside, so the database need not parse it on write nor render it on each read.
   */
  @Property({ type: JsonTextType })
  document!: Invoice;

  /**
   * The document without its lines and history, as the invoice list shows it: a list reads only
   * this, about half of the document. Null in rows a previous release wrote; readers then fall
   * back to the document, as they do when its due date is not the row's (a previous release's
   * due date change rewrote the document and `due_date` only).
   */
  @Property({ type: JsonTextType, nullable: true })
  summary?: InvoiceSummary | null;
}

/**
 * The columns a document decides, to write with it wherever it is written (import, due date
 * change), so the columns never drift from the document.
 */
export function documentColumns(
  document: Invoice,
): Pick<LedgerInvoice, 'status' | 'invoiceDate' | 'dueDate' | 'document' | 'summary'> {
  return {
    status: document.status,
    invoiceDate: document.invoiceDate,
    dueDate: document.dueDate,
    document,
    summary: summaryOf(document),
  };
}
