import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { type AppConfig, appConfig } from './config/app.config';
import { type OidcConfig, oidcConfig } from './auth/oidc.config';
import type { MikroOrmSessionStore } from './auth/session/mikro-orm-session.store';
import {
  sessionMiddlewares,
  sessionsByPath,
  staffSessionMiddlewares,
} from './auth/session/session.middleware';
import { sessionEndedOnRefusedToken } from './auth/session/session-ended';
import { isBackChannelLogout } from './auth/staff/staff-paths';
import { SESSION_STORE, STAFF_SESSION_STORE } from './auth/session/session.service';
import { type StaffOidcConfig, staffOidcConfig } from './auth/staff/staff-oidc.config';
import { tenancyMiddleware } from './tenancy/tenancy.middleware';
import { TenancyService } from './tenancy/tenancy.service';
import { themeMiddleware } from './theme/theme.middleware';
import { ThemeService } from './theme/theme.service';
import { configureWeb } from './web/configure-web';

/** Builds the whole portal the same way for `main.ts` and for the e2e tests. */
export async function createApp(): Promise<NestExpressApplication> {
  // Nest's own console logger stays silent until pino takes over: a refusal to start (bad
  // configuration, no database) is reported once, as one line, by `exitOnStartupFailure`.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(appConfig.KEY);
  const oidc = app.get<OidcConfig>(oidcConfig.KEY);
  const staff = app.get<StaffOidcConfig>(staffOidcConfig.KEY);
  const sessions = sessionsByPath(
    sessionMiddlewares(app.get<MikroOrmSessionStore>(SESSION_STORE), config, oidc),
    staffSessionMiddlewares(app.get<MikroOrmSessionStore>(STAFF_SESSION_STORE), config, staff),
  );
  configureWeb(app, config, {
    // The municipality first: sessions and CSRF tokens are bound to it, its theme follows it, and
    // every page (even a refusal of the body, before any route) is the municipality's.
    beforeBody: [
      tenancyMiddleware(app.get(TenancyService)),
      themeMiddleware(app.get(ThemeService)),
    ],
    beforeCsrf: [sessions],
    // A resident's form sent after the session ended: say so and offer to log in again.
    csrfRefused: sessionEndedOnRefusedToken,
    // The staff provider's logout tokens: signed by it, and checked by their route.
    csrfExempt: isBackChannelLogout,
    // Logout forms end in a redirect to the provider's end-session endpoint.
    formActionOrigins: [oidc.issuer, staff.issuer]
      .filter((issuer) => issuer !== undefined)
      .map((issuer) => new URL(issuer).origin),
  });
  return app;
}
