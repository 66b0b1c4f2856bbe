import { Body, Controller, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentResident } from '../auth';
import type { ResidentIdentity } from '../auth';
import { FinanceErrorFilter } from '../invoices';
import { isIsoDate } from '../shared/calendar-date';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, publicOrigin, type CurrentMunicipality } from '../tenancy';
import { DeferralFormErrorFilter } from './deferral-form-error.filter';
import { DeferralsService } from './deferrals.service';

@Controller('fakturaer')
@UseFilters(FinanceErrorFilter, DeferralFormErrorFilter)
export class DeferralsController {
  constructor(private readonly deferrals: DeferralsService) {}

  /**
   * The invoice page's form posts here; a decision is made at once and the receipt shown (PRG). A
   * request made earlier for this due date is shown instead, saying the new choice was not stored.
   */
  @Post(':invoiceId/utsettelse')
  async request(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Req() req: Request,
    @Res() res: Response,
    @Param('invoiceId') invoiceId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { request, created } = await this.deferrals.request(
      municipality,
      { pid: resident.pid, language: requestLanguage(req), origin: publicOrigin(req) },
      invoiceId,
      body,
    );
    const casePath = `/saker/${encodeURIComponent(request.reference)}`;
    if (created) {
      res.redirect(303, casePath);
      return;
    }
    const chosen = typeof body?.newDueDate === 'string' ? body.newDueDate.trim() : '';
    const query = new URLSearchParams({ allerede: '1' });
    if (isIsoDate(chosen)) query.set('valgt', chosen);
    res.redirect(303, `${casePath}?${query.toString()}`);
  }
}
