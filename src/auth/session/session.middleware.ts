import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { AppConfig } from '../../config/app.config';
import { DatabaseUnavailableError, unavailableKind } from '../../database';
import type { OidcConfig } from '../oidc.config';
import type { ResidentIdentity } from '../resident-identity';
import type { MikroOrmSessionStore } from './mikro-orm-session.store';

declare module 'express-session' {
  interface SessionData {
    user?: ResidentIdentity & { municipalityId: string };
    authenticatedAt?: number;
    municipalityId?: string;
    returnTo?: string;
    oidc?: unknown;
  }
}

const MINUTE = 60_000;

export function sessionCookieName(production: boolean): string {
  return production ? '__Host-mf.sid' : 'mf.sid';
}

/**
 * express-session answers a failed store read with `next(err)` and no `req.session`, and with
 * `unset: 'destroy'` it then deletes the stored session as the response ends (`shouldDestroy`
 * asks only for a session id and no session): a database hiccup would log residents out. Without
 * the id for this request nothing is destroyed; an unavailable database becomes the typed error
 * the error filter answers with 503 and Retry-After.
 */
function keepSessionOnStoreFailure(sessions: RequestHandler): RequestHandler {
  return (req, res, next) => {
    sessions(req, res, (error?: unknown) => {
      if (!error) return next();
      Reflect.deleteProperty(req, 'sessionID');
      const kind = unavailableKind(error);
      next(kind ? new DatabaseUnavailableError(kind, { cause: error }) : error);
    });
  };
}

/**
 * Server-side sessions: an HttpOnly, SameSite=Lax cookie (Secure outside development) holding only
 * a signed id; the data lives in the database. Idle expiry rolls with each request; the absolute
 * limit counts from login and cannot be extended.
 */
export function sessionMiddlewares(
  store: MikroOrmSessionStore,
  app: AppConfig,
  oidc: OidcConfig,
): RequestHandler[] {
  const idleMs = oidc.idleMinutes * MINUTE;
  const absoluteMs = oidc.absoluteMinutes * MINUTE;
  const expressSession = session({
    name: sessionCookieName(app.production),
    secret: app.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, secure: app.production, sameSite: 'lax', maxAge: idleMs, path: '/' },
  });
  const sessions = keepSessionOnStoreFailure(expressSession);
  const identify = (req: Request, res: Response, next: NextFunction): void => {
    const user = req.session?.user;
    if (!user) return next();
    // A session belongs to the municipality it was made on: on another's host name it is no
    // login at all (and its CSRF tokens, bound to both, are worthless there too).
    if (!req.municipality || user.municipalityId !== req.municipality.id) return next();
    if (!req.session.authenticatedAt || Date.now() - req.session.authenticatedAt > absoluteMs) {
      req.session.destroy((err) => next(err));
      return;
    }
    req.user = user;
    req.sessionBinding = req.sessionID;
    res.locals.signedIn = true;
    res.locals.userName = user.name;
    next();
  };
  return [sessions, identify];
}
