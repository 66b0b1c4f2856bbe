import { Controller, Get, Param, Render, UseFilters } from '@nestjs/common';
import { CurrentResident } from '../auth';
import type { ResidentIdentity } from '../auth';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { FinanceErrorFilter } from './finance-error.filter';
import { InvoicePage } from './invoice-page';
import { InvoicesService } from './invoices.service';

@Controller('fakturaer')
@UseFilters(FinanceErrorFilter)
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly page: InvoicePage,
  ) {}

  /** "Mine fakturaer": only ever the signed-in resident's own; query parameters are ignored. */
  @Get()
  @Render('pages/invoices')
  async list(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
  ) {
    const view = await this.invoices.list(municipality, resident.pid);
    return {
      titleKey: 'invoices.title',
      ...view,
      open: view.open.map((i) => ({ ...i, collector: i.inCollection ? i.collectionAgency : null })),
      // The card says "paid" by this field, not by a partial argument (`paidList=true`), which
      // Handlebars would pass by copying the invoice's every field into a new object on each call.
      paid: view.paid.map((i) => ({ ...i, paidList: true })),
      currentNav: 'invoices',
    };
  }

  @Get(':invoiceId')
  @Render('pages/invoice')
  async show(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Param('invoiceId') invoiceId: string,
  ) {
    const invoice = await this.invoices.get(municipality, resident.pid, invoiceId);
    return this.page.model(municipality, resident, invoice);
  }
}
