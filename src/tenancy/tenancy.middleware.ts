import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnknownMunicipalityError } from './tenancy.errors';
import { TenancyService } from './tenancy.service';

/**
 * Serves each request for one municipality, chosen by the host name (or the configured default).
 * Mounted as the first Express middleware after static assets, so the session and CSRF layers
 * behind it can bind themselves to the municipality. Health probes belong to no municipality.
 */
export function tenancyMiddleware(tenancy: TenancyService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/health/')) return next();
    tenancy.resolve(req.hostname ?? '').then((municipality) => {
      if (!municipality) return next(new UnknownMunicipalityError());
      req.municipality = municipality;
      req.publicOrigin = tenancy.publicOrigin(municipality, req);
      res.locals.municipality = municipality;
      next();
    }, next);
  };
}
