import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';

export interface CsrfOptions {
  secret: string;
  secureCookies: boolean;
  /** Requests another proof authenticates (see `WebOptions.csrfExempt`). */
  exempt?: (req: Request) => boolean;
}

/**
 * Double-submit CSRF tokens (csrf-csrf): an HMAC-signed cookie plus the same token in each form's
 * `_csrf` field, bound to the municipality and to the server-side session once there is one.
 */
export function createCsrf({ secret, secureCookies, exempt }: CsrfOptions) {
  const cookieName = secureCookies ? '__Host-mf.csrf' : 'mf.csrf';
  const tokenOf = (req: Request): string | undefined => {
    const fromForm = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromForm === 'string') return fromForm;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromHeader === 'string' ? fromHeader : undefined;
  };
  const csrf = doubleCsrf({
    getSecret: () => secret,
    // Bound to the municipality as well as the session: a token made on one municipality's host
    // is refused on another's, before and after login.
    getSessionIdentifier: (req: Request) =>
      `${req.municipality?.id ?? ''}:${req.sessionBinding ?? ''}`,
    cookieName,
    cookieOptions: { sameSite: 'lax', secure: secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: tokenOf,
    skipCsrfProtection: (req: Request) => exempt?.(req) ?? false,
    errorConfig: {
      statusCode: 403,
      message: 'Invalid or missing CSRF token',
      code: 'EBADCSRFTOKEN',
    },
  });
  return {
    ...csrf,
    /**
     * The request carries a token and this browser's CSRF cookie: a form of the portal's own,
     * opened in this browser, whose token no longer fits (its session has ended, say), rather than
     * a request made without ever reading one of our pages.
     */
    carriesOurForm: (req: Request): boolean =>
      Boolean(tokenOf(req)) && typeof req.cookies?.[cookieName] === 'string',
  };
}
