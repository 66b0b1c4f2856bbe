import { financeAdapterOf } from './finance-settings';
import { FinanceSystem, type DueDateChange, type SetDueDateCommand } from './finance-system.port';
import type { FinanceTenant } from './finance-tenant';
import type { Invoice, InvoiceSummary } from './invoice.model';
import type { PaymentHistory } from './payment-history.model';

/** Sends each call to the adapter the municipality's settings name; the rest of the app sees one port. */
export class RoutingFinanceSystem extends FinanceSystem {
  constructor(private readonly adapters: Record<'embedded' | 'http', FinanceSystem>) {
    super();
  }

  private for(tenant: FinanceTenant): FinanceSystem {
    return this.adapters[financeAdapterOf(tenant)];
  }

  listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    return this.for(tenant).listInvoices(tenant, pid);
  }

  getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    return this.for(tenant).getInvoice(tenant, pid, invoiceId);
  }

  override getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    return this.for(tenant).getInvoiceWithList(tenant, pid, invoiceId);
  }

  getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    return this.for(tenant).getPaymentHistory(tenant, pid);
  }

  setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange> {
    return this.for(tenant).setDueDate(tenant, command);
  }
}
