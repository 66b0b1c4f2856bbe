import { ForbiddenException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'bluetooth=()',
  'display-capture=()',
  'fullscreen=()',
  'browsing-topics=()',
].join(', ');

/** No page of the portal uses a powerful browser feature, so none may be asked for. */
export function permissionsPolicy(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  next();
}

export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Defence in depth beside the CSRF token: a state-changing request must come from a page of the
 * same origin. Browsers say so with Sec-Fetch-Site (`same-origin`, or `none` when the person typed
 * it) or, older ones, with Origin; a request that carries neither (a script, curl) is left to the
 * token. Another municipality's host name is another site here, though it may share a domain.
 */
export function sameOriginWrites(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return next(new ForbiddenException('crossSiteRequest'));
  }
  const origin = req.get('origin');
  if (origin !== undefined && hostOf(origin) !== req.host) {
    return next(new ForbiddenException('crossSiteRequest'));
  }
  next();
}

/**
 * The host of an Origin header; `null` (a sandboxed or privacy-stripped origin) has none. The
 * scheme is not compared: behind a TLS-terminating proxy this process may see plain http.
 */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
