import { Body, Controller, Get, Param, Post, Render, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DeferralsService } from '../deferrals/deferrals.service';
import { DeferralFormError, DeferralNotPossibleError } from '../deferrals/deferrals.errors';
import type { Invoice } from '../finance/invoice.model';
import { requestLanguage } from '../web/request-context';
import { deferralFormView } from './deferral-form.view';
import type { ResidentIdentity } from '../auth/resident-identity';
import {
  ForMunicipality,
  publicOrigin,
  type CurrentMunicipality,
} from '../tenancy/current-municipality';
import { formatAccountNumber } from '../web/format';
import { FinanceErrorFilter } from './finance-error.filter';
import { dueDateChanges } from './invoice-view';
import { InvoicesService } from './invoices.service';

@Controller('fakturaer')
@UseFilters(FinanceErrorFilter)
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly deferrals: DeferralsService,
  ) {}

  /** "Mine fakturaer": only ever the signed-in resident's own; query parameters are ignored. */
  @Get()
  @Render('pages/invoices')
  async list(@ForMunicipality() municipality: CurrentMunicipality, @Req() req: Request) {
    const resident = req.user as ResidentIdentity;
    const view = await this.invoices.list(municipality, resident.pid);
    const withAccount = <T extends { accountNumber: string }>(i: T) => ({
      ...i,
      accountNumberFormatted: formatAccountNumber(i.accountNumber),
    });
    return {
      titleKey: 'invoices.title',
      ...view,
      open: view.open.map(withAccount),
      paid: view.paid.map(withAccount),
      currentNav: 'invoices',
    };
  }

  @Get(':invoiceId')
  @Render('pages/invoice')
  async show(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Req() req: Request,
    @Param('invoiceId') invoiceId: string,
  ) {
    const resident = req.user as ResidentIdentity;
    const invoice = await this.invoices.get(municipality, resident.pid, invoiceId);
    return this.page(municipality, resident, invoice);
  }

  /** The deferral form posts here; a decision is made at once and the receipt shown (post/redirect/get). */
  @Post(':invoiceId/utsettelse')
  async requestDeferral(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Req() req: Request,
    @Res() res: Response,
    @Param('invoiceId') invoiceId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const resident = req.user as ResidentIdentity;
    try {
      const request = await this.deferrals.request(
        municipality,
        { pid: resident.pid, language: requestLanguage(req), origin: publicOrigin(req) },
        invoiceId,
        body,
      );
      res.redirect(303, `/saker/${encodeURIComponent(request.reference)}`);
    } catch (error) {
      if (!(error instanceof DeferralFormError || error instanceof DeferralNotPossibleError))
        throw error;
      const invoice = await this.invoices.get(municipality, resident.pid, invoiceId);
      const posted =
        error instanceof DeferralFormError
          ? { problems: error.problems, values: error.values }
          : undefined;
      res
        .status(error instanceof DeferralFormError ? 400 : 409)
        .render('pages/invoice', await this.page(municipality, resident, invoice, posted));
    }
  }

  private async page(
    municipality: CurrentMunicipality,
    resident: ResidentIdentity,
    invoice: Invoice,
    posted?: { problems: string[]; values: Record<string, string> },
  ) {
    const existing = await this.deferrals.existingFor(municipality, resident.pid, invoice);
    return {
      titleKey: 'invoices.invoice.title',
      invoice: { ...invoice, accountNumberFormatted: formatAccountNumber(invoice.accountNumber) },
      changes: dueDateChanges(invoice),
      deferred: invoice.dueDate !== invoice.originalDueDate,
      paid: invoice.status === 'PAID' || invoice.outstandingOre === 0,
      deferral: deferralFormView(
        invoice,
        await this.deferrals.windowFor(municipality, invoice),
        existing,
        posted,
      ),
    };
  }
}
