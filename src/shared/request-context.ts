import type { Request } from 'express';

export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language chosen with the switch (a cookie), else the browser's preference, else bokmål. */
export function resolveLanguage(req: Request): Language {
  const chosen: unknown = req.cookies?.[LANGUAGE_COOKIE];
  if (isLanguage(chosen)) return chosen;
  const preferred = req.acceptsLanguages('nb', 'nn', 'en', 'no');
  if (preferred === 'no' || !preferred) return 'nb';
  return preferred as Language;
}

/** The language resolved for this request by the locals middleware (bokmål before it has run). */
export function requestLanguage(req: Request): Language {
  const lang = req.i18nLang;
  return isLanguage(lang) ? lang : 'nb';
}

/** True when the client asked for a page rather than JSON (browsers send Accept: text/html). */
export function wantsHtml(req: Request): boolean {
  if (req.path.startsWith('/api/')) return false;
  return req.accepts(['html', 'json']) === 'html';
}

/** A same-site path to return to after a redirect; anything else (other hosts, `//evil`) gives `/`. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  return value;
}
