import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { AppConfig } from '../../config/app.config';
import { DatabaseUnavailableError, unavailableKind } from '../../database';
import type { StaffIdentity } from '../identity';
import type { OidcConfig } from '../oidc.config';
import type { ResidentIdentity } from '../resident-identity';
import type { StaffOidcConfig } from '../staff/staff-oidc.config';
import { isStaffPath } from '../staff/staff-paths';
import type { MikroOrmSessionStore } from './mikro-orm-session.store';

declare module 'express-session' {
  interface SessionData {
    /** A resident's login (resident sessions only). */
    user?: ResidentIdentity & { municipalityId: string };
    /** A member of staff's login (staff sessions only). */
    staff?: StaffIdentity & { municipalityId: string };
    authenticatedAt?: number;
    municipalityId?: string;
    returnTo?: string;
    staffReturnTo?: string;
    oidc?: unknown;
    staffOidc?: unknown;
  }
}

const MINUTE = 60_000;

export function sessionCookieName(production: boolean): string {
  return production ? '__Host-mf.sid' : 'mf.sid';
}

export function staffSessionCookieName(production: boolean): string {
  return production ? '__Host-mf.staff' : 'mf.staff';
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

interface SessionKind {
  cookieName: string;
  idleMinutes: number;
  absoluteMinutes: number;
  /** The login this kind of session holds, if any. */
  identityOf(data: session.SessionData): (object & { municipalityId: string }) | undefined;
  /** What every page of a signed-in request may show of it (names, not identity numbers). */
  locals(res: Response, identity: object): void;
}

/**
 * Server-side sessions: an HttpOnly, SameSite=Lax cookie (Secure outside development) holding only
 * a signed id; the data lives in the database, sealed. Idle expiry rolls with each request; the
 * absolute limit counts from login and cannot be extended.
 */
function sessionLayer(
  store: MikroOrmSessionStore,
  app: AppConfig,
  kind: SessionKind,
): RequestHandler[] {
  const idleMs = kind.idleMinutes * MINUTE;
  const absoluteMs = kind.absoluteMinutes * MINUTE;
  const expressSession = session({
    name: kind.cookieName,
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
    const user = req.session ? kind.identityOf(req.session) : undefined;
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
    kind.locals(res, user);
    next();
  };
  return [sessions, identify];
}

/** The residents' sessions (ID-porten logins). */
export function sessionMiddlewares(
  store: MikroOrmSessionStore,
  app: AppConfig,
  oidc: OidcConfig,
): RequestHandler[] {
  return sessionLayer(store, app, {
    cookieName: sessionCookieName(app.production),
    idleMinutes: oidc.idleMinutes,
    absoluteMinutes: oidc.absoluteMinutes,
    identityOf: (data) => data.user,
    locals: (res, user) => {
      res.locals.signedIn = true;
      res.locals.userName = (user as ResidentIdentity).name;
    },
  });
}

/** The staff's sessions: a cookie, lifetimes and login of their own, in the same sealed store. */
export function staffSessionMiddlewares(
  store: MikroOrmSessionStore,
  app: AppConfig,
  staff: StaffOidcConfig,
): RequestHandler[] {
  return sessionLayer(store, app, {
    cookieName: staffSessionCookieName(app.production),
    idleMinutes: staff.idleMinutes,
    absoluteMinutes: staff.absoluteMinutes,
    identityOf: (data) => data.staff,
    locals: (res, user) => {
      // The roles in this municipality only: the links are to this host's pages.
      const staff = user as StaffIdentity & { municipalityId: string };
      const roles = staff.roles[staff.municipalityId] ?? [];
      res.locals.staffNav = {
        name: staff.name,
        canSeePolicy: roles.includes('finance-officer') || roles.includes('policy-approver'),
        canSeeCases: roles.includes('finance-officer'),
        canSeeOverview: roles.includes('finance-officer') || roles.includes('policy-approver'),
        canSeeAudit: roles.includes('auditor'),
        canSeeFinanceSettings: roles.includes('operator'),
      };
    },
  });
}

/**
 * One session per request, chosen by path: the staff session under `/saksbehandler` and
 * `/revisjon` (`isStaffPath`), the resident's everywhere else. Neither is ever read where the
 * other belongs, so a resident's login never reaches a staff route and a staff login never
 * reaches a resident route.
 */
export function sessionsByPath(
  resident: RequestHandler[],
  staff: RequestHandler[],
): RequestHandler {
  const run = (chain: RequestHandler[], req: Request, res: Response, next: NextFunction) => {
    const step = (i: number) => (error?: unknown) => {
      if (error !== undefined && error !== null) return next(error);
      if (i === chain.length) return next();
      void chain[i](req, res, step(i + 1));
    };
    step(0)();
  };
  return (req, res, next) => run(isStaffPath(req.path) ? staff : resident, req, res, next);
}
