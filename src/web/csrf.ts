import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';

export interface CsrfOptions {
  secret: string;
  secureCookies: boolean;
}

/**
 * Double-submit CSRF tokens (csrf-csrf): an HMAC-signed cookie plus the same token in each form's
 * `_csrf` field, bound to the municipality and to the server-side session once there is one.
 */
export function createCsrf({ secret, secureCookies }: CsrfOptions) {
  return doubleCsrf({
    getSecret: () => secret,
    // Bound to the municipality as well as the session: a token made on one municipality's host
    // is refused on another's, before and after login.
    getSessionIdentifier: (req: Request) =>
      `${req.municipality?.id ?? ''}:${req.sessionBinding ?? ''}`,
    cookieName: secureCookies ? '__Host-mf.csrf' : 'mf.csrf',
    cookieOptions: { sameSite: 'lax', secure: secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => {
      const fromForm = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromForm === 'string') return fromForm;
      const fromHeader = req.headers['x-csrf-token'];
      return typeof fromHeader === 'string' ? fromHeader : undefined;
    },
    errorConfig: {
      statusCode: 403,
      message: 'Invalid or missing CSRF token',
      code: 'EBADCSRFTOKEN',
    },
  });
}
