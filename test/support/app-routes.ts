import { METHODS } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}
interface ExpressInternals {
  router: { stack: RouteLayer[] };
  get(path: string, handler: (req: Request, res: Response) => void): void;
}

function expressOf(app: NestExpressApplication): ExpressInternals {
  return app.getHttpAdapter().getInstance() as unknown as ExpressInternals;
}

/**
 * Nest mounts its middleware (`consumer.apply(…).forRoutes('*')`) as Express routes answering
 * every method; a controller route names its method.
 */
function isController(layer: RouteLayer): layer is Required<RouteLayer> {
  if (!layer.route) return false;
  const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
  return methods.length < METHODS.length;
}

/** Every route the running app serves, as `METHOD /path/:param`, read from Express's router. */
export function appRoutes(app: NestExpressApplication): string[] {
  return expressOf(app)
    .router.stack.filter(isController)
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((m) => layer.route.methods[m] && m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route.path}`),
    );
}

export const CSRF_PROBE_PATH = '/__test__/csrf-token';
/** The same under /saksbehandler, where the staff session (not the resident's) is read. */
export const STAFF_CSRF_PROBE_PATH = '/saksbehandler/__test__/csrf-token';

/** The probe that makes the token a form on `path` would carry (its session, its host). */
export function csrfProbeFor(path: string): string {
  // The staff session is read under /saksbehandler and /revisjon alike.
  return /^\/(saksbehandler|revisjon)(\/|$|\?)/i.test(path)
    ? STAFF_CSRF_PROBE_PATH
    : CSRF_PROBE_PATH;
}

/**
 * Adds `GET /__test__/csrf-token` (and `/saksbehandler/__test__/csrf-token` for staff sessions) to a
 * test app, answering `{ token }`: the CSRF token the app's own middleware makes for this request
 * (its session, cookies and host name), as a form on a page would carry it. Placed after all
 * middleware and before the first controller route, so anonymous visitors (who see no form) can
 * send a valid token too and a test reaches the authorization behind CSRF.
 */
export function installCsrfProbe(app: NestExpressApplication): void {
  const instance = expressOf(app);
  for (const path of [CSRF_PROBE_PATH, STAFF_CSRF_PROBE_PATH]) {
    instance.get(path, (_req, res) => {
      res.json({ token: String((res.locals as { csrfToken?: unknown }).csrfToken) });
    });
    const stack = instance.router.stack;
    const probe = stack.pop()!;
    stack.splice(stack.findIndex(isController), 0, probe);
  }
}
