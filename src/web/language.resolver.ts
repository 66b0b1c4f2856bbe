import { ExecutionContext, Injectable } from '@nestjs/common';
import type { I18nResolver } from 'nestjs-i18n';
import { requestLanguage } from '../shared/request-context';

/** Hands nestjs-i18n the language the locals middleware already resolved, so both always agree. */
@Injectable()
export class RequestLanguageResolver implements I18nResolver {
  resolve(context: ExecutionContext): string | undefined {
    if (context.getType() !== 'http') return undefined;
    return requestLanguage(context.switchToHttp().getRequest());
  }
}
