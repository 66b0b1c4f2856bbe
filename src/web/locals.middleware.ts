import type { NextFunction, Request, Response } from 'express';
import { LANGUAGES, resolveLanguage } from '../shared/request-context';

type TokenGenerator = (req: Request, res: Response) => string;

/** What every page needs: language, the language switch and a CSRF token made only when rendered. */
export function localsMiddleware(
  generateCsrfToken: TokenGenerator,
  languageNames: Record<string, string>,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const lang = resolveLanguage(req);
    req.i18nLang = lang;
    res.locals.lang = lang;
    res.locals.returnPath = encodeURIComponent(req.originalUrl);
    res.locals.languages = LANGUAGES.map((code) => ({
      code,
      name: languageNames[code],
      current: code === lang,
    }));
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => generateCsrfToken(req, res),
    });
    next();
  };
}
