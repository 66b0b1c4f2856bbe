import { Controller, Get, Param, Render, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { ResidentIdentity } from '../auth/resident-identity';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy/current-municipality';
import { formatAccountNumber } from '../web/format';
import { FinanceErrorFilter } from './finance-error.filter';
import { dueDateChanges } from './invoice-view';
import { InvoicesService } from './invoices.service';

@Controller('fakturaer')
@UseFilters(FinanceErrorFilter)
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /** "Mine fakturaer": only ever the signed-in resident's own; query parameters are ignored. */
  @Get()
  @Render('pages/invoices')
  async list(@ForMunicipality() municipality: CurrentMunicipality, @Req() req: Request) {
    const resident = req.user as ResidentIdentity;
    const view = await this.invoices.list(municipality, resident.pid);
    const withAccount = <T extends { accountNumber: string }>(i: T) => ({ ...i, accountNumberFormatted: formatAccountNumber(i.accountNumber) });
    return { titleKey: 'invoices.title', ...view, open: view.open.map(withAccount), paid: view.paid.map(withAccount), currentNav: 'invoices' };
  }

  @Get(':invoiceId')
  @Render('pages/invoice')
  async show(@ForMunicipality() municipality: CurrentMunicipality, @Req() req: Request, @Param('invoiceId') invoiceId: string) {
    const resident = req.user as ResidentIdentity;
    const invoice = await this.invoices.get(municipality, resident.pid, invoiceId);
    return {
      titleKey: 'invoices.invoice.title',
      invoice: { ...invoice, accountNumberFormatted: formatAccountNumber(invoice.accountNumber) },
      changes: dueDateChanges(invoice),
      deferred: invoice.dueDate !== invoice.originalDueDate,
      paid: invoice.status === 'PAID' || invoice.outstandingOre === 0,
    };
  }
}
