import { Injectable } from '@nestjs/common';
import { FinanceSystem } from '../finance';
import type { FinanceTenant } from '../finance';
import type { Invoice } from '../finance';
import { todayInNorway } from '../shared/calendar-date';
import { arrangeInvoices, type InvoiceListView } from './invoice-view';

/** What a resident sees of their own invoices; ownership is enforced by the finance system port. */
@Injectable()
export class InvoicesService {
  constructor(private readonly finance: FinanceSystem) {}

  async list(tenant: FinanceTenant, pid: string): Promise<InvoiceListView> {
    return arrangeInvoices(await this.finance.listInvoices(tenant, pid), todayInNorway());
  }

  get(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    return this.finance.getInvoice(tenant, pid, invoiceId);
  }
}
