import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { describeDatabaseError, RETRY_AFTER_SECONDS, unavailableKind } from '../database';
import { DomainError } from '../shared/domain-error';
import { loggableError } from './loggable-error';
import { requestLanguage, wantsHtml } from '../shared/request-context';

const PAGE_STATUSES = new Set([400, 401, 403, 404, 413, 429, 500, 503]);

/** Errors from libraries (body parser, CSRF) carry `status`/`statusCode` instead of being HttpExceptions. */
function statusOf(exception: unknown): number {
  if (unavailableKind(exception)) return HttpStatus.SERVICE_UNAVAILABLE;
  if (exception instanceof DomainError) return exception.status;
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = exception as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(candidate?.statusCode ?? candidate?.status);
  return Number.isInteger(status) && status >= 400 && status < 600
    ? status
    : HttpStatus.INTERNAL_SERVER_ERROR;
}

function detailOf(exception: unknown, status: number): string | undefined {
  if (status >= 500) return undefined; // never leak internals
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const { message } = response;
      return Array.isArray(message) ? message.join('; ') : String(message);
    }
    return exception.message;
  }
  return (exception as Error | undefined)?.message;
}

/**
 * The last resort that turns every error into what the client can read: a translated HTML page
 * for browsers, RFC 9457 problem details for API clients. A feature's `DomainError` names its own
 * status and message key (and may send a browser elsewhere); a feature that answers with a page of
 * its own has a filter of its own (e.g. deferrals, finance). Anything else is unexpected: 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly i18n: I18nService<Record<string, unknown>>) {}

  private pageKey(exception: unknown, status: number): string {
    if (exception instanceof DomainError) return exception.messageKey;
    if (PAGE_STATUSES.has(status)) return String(status);
    return status >= 500 ? '500' : '400';
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const status = statusOf(exception);
    const requestId =
      typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
    // The database away or stalled is no bug of ours: one line, no stack, no SQL; ask to retry.
    const unavailable = unavailableKind(exception);
    if (unavailable) {
      this.logger.warn(
        { requestId, kind: unavailable, error: describeDatabaseError(exception) },
        'Database unavailable',
      );
      if (!res.headersSent) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (status >= 500)
      this.logger.error({ err: loggableError(exception), requestId }, 'Request failed');
    if (res.headersSent) return;

    const lang = requestLanguage(req);
    const key = this.pageKey(exception, status);
    const title = this.i18n.t(`common.error.${key}.title`, { lang });
    const text = this.i18n.t(`common.error.${key}.text`, { lang });

    if (exception instanceof DomainError && wantsHtml(req) && req.method === 'GET') {
      const redirect = exception.pageRedirect?.(req.originalUrl);
      if (redirect) {
        res.redirect(303, redirect);
        return;
      }
    }
    if (wantsHtml(req)) {
      res.status(status).render('pages/error', {
        title,
        heading: title,
        text,
        requestId,
        lang,
        retryLogin: exception instanceof DomainError && exception.offersLogin,
        loginPath: exception instanceof DomainError ? exception.loginPath : undefined,
        loginLabelKey: exception instanceof DomainError ? exception.loginLabelKey : undefined,
      });
      return;
    }
    res
      .status(status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title,
        status,
        detail: exception instanceof DomainError ? text : (detailOf(exception, status) ?? text),
        instance: req.originalUrl,
        requestId,
      });
  }
}
