import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { JsonTextType } from '../../database';
import type { Invoice } from '../invoice.model';

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
}
