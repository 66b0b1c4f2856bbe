import { I18nModule } from 'nestjs-i18n';
import { I18N_DIR } from '../config/paths';
import { RequestLanguageResolver } from './language.resolver';

/**
 * Translations from src/web/i18n/<lang>/*.json. The language itself is resolved per request by the
 * locals middleware (cookie from the language switch, else Accept-Language, else bokmål).
 */
export const i18nModule = I18nModule.forRoot({
  fallbackLanguage: 'nb',
  fallbacks: { 'nb-*': 'nb', no: 'nb', 'no-*': 'nb', 'nn-*': 'nn', 'en-*': 'en' },
  loaderOptions: { path: I18N_DIR, watch: false },
  resolvers: [RequestLanguageResolver],
  logging: false,
});
