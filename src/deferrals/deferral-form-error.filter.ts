import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isResident } from '../auth';
import { InvoicePage, InvoicesService } from '../invoices';
import { DeferralFormSection } from './deferral-form.section';
import { deferralFormErrors } from './deferral-form.view';
import { DeferralFormError, DeferralNotPossibleError } from './deferrals.errors';

/**
 * A refused deferral form is answered on the invoice page itself: 400 with the problems beside
 * the fields (and, summed up, at the top of the page) and what was typed, or 409 when the invoice
 * cannot be deferred (any more).
 */
@Catch(DeferralFormError, DeferralNotPossibleError)
export class DeferralFormErrorFilter implements ExceptionFilter {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly page: InvoicePage,
    private readonly section: DeferralFormSection,
  ) {}

  catch(error: DeferralFormError | DeferralNotPossibleError, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    this.render(error, req, res).catch((failure: unknown) => req.next?.(failure));
  }

  private async render(
    error: DeferralFormError | DeferralNotPossibleError,
    req: Request,
    res: Response,
  ): Promise<void> {
    const resident: unknown = req.user;
    const municipality = req.municipality;
    if (!isResident(resident) || !municipality) throw error;
    const invoiceId = String(req.params.invoiceId);
    const invoice = await this.invoices.get(municipality, resident.pid, invoiceId);
    const posted =
      error instanceof DeferralFormError
        ? { problems: error.problems, values: error.values }
        : undefined;
    const deferral = await this.section.view(municipality, resident, invoice, posted);
    const formErrors = deferralFormErrors(deferral);
    res
      .status(error.status)
      .render(
        'pages/invoice',
        await this.page.model(municipality, resident, invoice, { deferral, formErrors }),
      );
  }
}
