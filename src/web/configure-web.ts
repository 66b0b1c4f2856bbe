import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { I18nService } from 'nestjs-i18n';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { pinoHttp, type Options } from 'pino-http';
import type { AppConfig } from '../config/app.config';
import { PUBLIC_DIR } from '../config/paths';
import { DESIGN_ASSETS } from './design-assets';
import { refuseControlCharacters } from './control-characters';
import { createCsrf } from './csrf';
import { noStore, permissionsPolicy, sameOriginWrites } from './security-headers';
import { csrfTokenLocal, languageLocals } from './locals.middleware';
import { staffUploads } from './staff-uploads';
import { configureViews } from './view-engine';

export interface WebOptions {
  /** Origins that forms may post or redirect to, e.g. the OpenID provider for logout. */
  formActionOrigins?: string[];
  /**
   * Express middleware that must run before any body is read (the municipality and its theme), so
   * that even a body the parsers refuse is answered with the municipality's page.
   */
  beforeBody?: express.RequestHandler[];
  /** Express middleware that must run before CSRF (the session). */
  beforeCsrf?: express.RequestHandler[];
  /**
   * What a refused token on a form of the portal's own means, if more than a bare 403 (e.g. the
   * session ended while the form was open); undefined leaves the 403. A request without a token
   * or without this browser's CSRF cookie is always a 403.
   */
  csrfRefused?: (req: express.Request) => Error | undefined;
  /**
   * Requests that carry no CSRF token by design because something else authenticates them (an
   * identity provider's signed logout token); nothing else is ever left out.
   */
  csrfExempt?: (req: express.Request) => boolean;
}

/**
 * The Express layer in one place: security headers, static assets, body parsing with limits,
 * cookies, CSRF, per-request view locals and the Handlebars engine. Kept apart from features so a
 * move to another HTTP adapter is a change to this file.
 */
export function configureWeb(
  app: NestExpressApplication,
  config: AppConfig,
  options: WebOptions = {},
): void {
  const i18n = app.get<I18nService<Record<string, unknown>>>(I18nService);
  // The access log comes first, so that requests refused by the session, CSRF or origin checks
  // below are logged too, each with its request id.
  app.use(pinoHttp(app.get<Params>(PARAMS_PROVIDER_TOKEN).pinoHttp as Options));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // No ETag on pages and API answers: Express hashes every body it sends for one, and everything
  // past the static assets is `no-store` (below), so no browser ever revalidates with it. Static
  // files keep theirs (serve-static makes its own); theme stylesheets are immutable by name.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'", ...(options.formActionOrigins ?? [])],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(config.production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.production
        ? { maxAge: 31536000, includeSubDomains: true }
        : false,
      referrerPolicy: { policy: 'same-origin' },
      // The same answer as frame-ancestors 'none', for browsers that read only this header.
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use(permissionsPolicy);
  const staticOptions = { maxAge: config.production ? '1d' : 0, index: false as const };
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/static/', ...staticOptions });
  // Designsystemet's stylesheets and the Inter typeface, served from the installed packages so the
  // CSP needs no outside host and an upgrade of the packages is what the pages get.
  for (const [prefix, dir] of Object.entries(DESIGN_ASSETS))
    app.useStaticAssets(dir, { prefix, ...staticOptions });
  // Everything past the static assets is per person or carries a CSRF token: never stored by a
  // browser or proxy, so Back after logout shows nothing of the resident's.
  app.use(noStore);
  app.use(cookieParser());
  for (const handler of options.beforeBody ?? []) app.use(handler);
  app.use(
    languageLocals(i18n.t<string, Record<string, string>>('common.languages', { lang: 'nb' })),
  );
  // Staff forms carry whole policy files (a JSON text area, an imported .policy.json): more room
  // there than on residents' forms. The first parser to run takes the body; the next one skips it.
  app.use(
    '/saksbehandler',
    express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 500 }),
  );
  // An auditor pastes a resident's proof (up to 2 MB of JSON, more once form-encoded).
  app.use(
    '/revisjon/bevis',
    express.urlencoded({ extended: false, limit: '8mb', parameterLimit: 10 }),
  );
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  app.use('/saksbehandler', staffUploads);
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  app.use(refuseControlCharacters);
  for (const handler of options.beforeCsrf ?? []) app.use(handler);
  app.use(sameOriginWrites);
  const csrf = createCsrf({
    secret: config.sessionSecret,
    secureCookies: config.production,
    exempt: options.csrfExempt,
  });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
    csrf.doubleCsrfProtection(req, res, (error?: unknown) =>
      next(
        error === csrf.invalidCsrfTokenError && csrf.carriesOurForm(req)
          ? (options.csrfRefused?.(req) ?? error)
          : error,
      ),
    ),
  );
  app.use(csrfTokenLocal(csrf.generateCsrfToken));
  configureViews(app, i18n, config.production);
}
