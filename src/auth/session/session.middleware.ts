import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { AppConfig } from '../../config/app.config';
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
  const sessions = session({
    name: sessionCookieName(app.production),
    secret: app.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, secure: app.production, sameSite: 'lax', maxAge: idleMs, path: '/' },
  });
  const identify = (req: Request, res: Response, next: NextFunction): void => {
    const user = req.session?.user;
    if (!user) return next();
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
