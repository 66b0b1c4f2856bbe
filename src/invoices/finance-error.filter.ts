import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { FinanceError, FinanceNotFoundError, FinanceUnavailableError } from '../finance';
import { requestLanguage, wantsHtml } from '../shared/request-context';

const DEFAULT_RETRY_MINUTES = 5;

/**
 * Finance-system failures as residents should meet them: someone else's (or a missing) invoice is
 * a plain 404, and a finance system that is down is a calm page saying when to try again.
 */
@Catch(FinanceError)
export class FinanceErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('FinanceErrorFilter');

  constructor(private readonly i18n: I18nService<Record<string, unknown>>) {}

  catch(error: FinanceError, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const lang = requestLanguage(req);
    if (error instanceof FinanceNotFoundError) {
      const title = this.i18n.t('common.error.404.title', { lang });
      const text = this.i18n.t('common.error.404.text', { lang });
      return this.send(req, res, HttpStatus.NOT_FOUND, title, text);
    }
    const minutes =
      error instanceof FinanceUnavailableError && error.retryAfterSeconds
        ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60))
        : DEFAULT_RETRY_MINUTES;
    this.logger.warn(
      { code: error.code, reason: (error as FinanceUnavailableError).reason },
      'Finance system unavailable',
    );
    res.setHeader('Retry-After', String(minutes * 60));
    const title = this.i18n.t('invoices.unavailable.title', { lang });
    const text = this.i18n.t('invoices.unavailable.text', { lang, args: { minutes } });
    this.send(req, res, HttpStatus.SERVICE_UNAVAILABLE, title, text);
  }

  private send(req: Request, res: Response, status: number, title: string, text: string): void {
    if (wantsHtml(req)) {
      res
        .status(status)
        .render('pages/error', { title, heading: title, text, lang: requestLanguage(req) });
      return;
    }
    res
      .status(status)
      .type('application/problem+json')
      .json({ type: 'about:blank', title, status, detail: text, instance: req.originalUrl });
  }
}
