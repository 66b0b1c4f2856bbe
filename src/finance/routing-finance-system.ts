import { FinanceUnavailableError } from './finance.errors';
import { financeAdapterOf, type FinanceAdapterKind } from './finance-settings';
import {
  type FinanceCapabilities,
  type DecisionInputs,
  FinanceSystem,
  type DueDateChange,
  type SetDueDateCommand,
} from './finance-system.port';
import type { FinanceTenant } from './finance-tenant';
import type { Invoice, InvoiceSummary } from './invoice.model';
import type { PaymentHistory } from './payment-history.model';

/**
 * Sends each call to the adapter the municipality's settings name; the rest of the app sees one
 * port. Settings it cannot use reject the call (not-configured), so that municipality's residents
 * are told invoices are unavailable rather than shown an empty list.
 */
export class RoutingFinanceSystem extends FinanceSystem {
  /** Problems already logged: one line per bad setting, not one per request. */
  private readonly reported = new Set<string>();

  constructor(
    /** The adapters this portal wires; a municipality naming another is refused (not-configured). */
    private readonly adapters: Readonly<Partial<Record<FinanceAdapterKind, FinanceSystem>>>,
    private readonly logger?: { error(message: string): void },
  ) {
    super();
  }

  private async for(tenant: FinanceTenant): Promise<FinanceSystem> {
    return this.adapterFor(tenant);
  }

  private adapterFor(tenant: FinanceTenant): FinanceSystem {
    try {
      const kind = financeAdapterOf(tenant);
      const adapter = this.adapters[kind];
      if (adapter) return adapter;
      throw new FinanceUnavailableError(
        'not-configured',
        `municipality ${tenant.slug}: no "${kind}" finance adapter is wired in this portal`,
      );
    } catch (error) {
      const message = (error as Error).message;
      if (!this.reported.has(message)) {
        this.reported.add(message);
        this.logger?.error(`${message}; its residents are told invoices are unavailable`);
      }
      throw error;
    }
  }

  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    return (await this.for(tenant)).listInvoices(tenant, pid);
  }

  async getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    return (await this.for(tenant)).getInvoice(tenant, pid, invoiceId);
  }

  override async getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    return (await this.for(tenant)).getInvoiceWithList(tenant, pid, invoiceId);
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    return (await this.for(tenant)).getPaymentHistory(tenant, pid);
  }

  override async getDecisionInputs(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<DecisionInputs> {
    return (await this.for(tenant)).getDecisionInputs(tenant, pid, invoiceId);
  }

  async setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange> {
    return (await this.for(tenant)).setDueDate(tenant, command);
  }

  override capabilities(tenant: FinanceTenant): FinanceCapabilities {
    return this.adapterFor(tenant).capabilities(tenant);
  }
}
