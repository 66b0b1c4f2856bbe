/** What the invoices feature offers the rest of the portal; other features import only this. */
export { FinanceErrorFilter } from './finance-error.filter';
export { InvoicePage } from './invoice-page';
export { InvoicesModule } from './invoices.module';
export { InvoicesService } from './invoices.service';
