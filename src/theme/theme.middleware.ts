import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ThemeService } from './theme.service';

/**
 * Gives every page its municipality's theme (`res.locals.theme`: stylesheet URL and logo). Mounted
 * right after the tenancy middleware; costs one WeakMap lookup per request.
 */
export function themeMiddleware(themes: ThemeService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.municipality) res.locals.theme = themes.themeFor(req.municipality);
    next();
  };
}
