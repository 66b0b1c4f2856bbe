import type { NextFunction, Request, Response } from 'express';
import { LANGUAGES, resolveLanguage } from '../shared/request-context';
import { urlIsHostile } from './control-characters';

type TokenGenerator = (req: Request, res: Response) => string;

/**
 * What every page needs before anything can go wrong: the language and the language switch.
 * Mounted ahead of the body parsers, so the page for a body they refuse (413) speaks the visitor's
 * language too.
 */
export function languageLocals(languageNames: Record<string, string>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const lang = resolveLanguage(req);
    req.i18nLang = lang;
    res.locals.lang = lang;
    // Runs before the edge refuses a hostile address (refuseControlCharacters), so the page that
    // refuses it must not echo it back in the language links: such an address gets the front page.
    const hostile = urlIsHostile(req);
    res.locals.returnPath = encodeURIComponent(hostile ? '/' : req.originalUrl);
    res.locals.currentPath = hostile ? '/' : req.path;
    res.locals.languages = LANGUAGES.map((code) => ({
      code,
      name: languageNames[code],
      current: code === lang,
    }));
    next();
  };
}

/** A CSRF token for the page's forms, made only when a template reads it. */
export function csrfTokenLocal(generateCsrfToken: TokenGenerator) {
  return (req: Request, res: Response, next: NextFunction): void => {
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => generateCsrfToken(req, res),
    });
    next();
  };
}
