import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { type AppConfig, appConfig } from './config/app.config';
import { type OidcConfig, oidcConfig } from './auth/oidc.config';
import type { MikroOrmSessionStore } from './auth/session/mikro-orm-session.store';
import { sessionMiddlewares } from './auth/session/session.middleware';
import { SESSION_STORE } from './auth/session/session.service';
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
  const sessions = sessionMiddlewares(app.get<MikroOrmSessionStore>(SESSION_STORE), config, oidc);
  configureWeb(app, config, {
    // The municipality first: sessions and CSRF tokens are bound to it, and its theme follows it.
    beforeCsrf: [
      tenancyMiddleware(app.get(TenancyService)),
      themeMiddleware(app.get(ThemeService)),
      ...sessions,
    ],
    formActionOrigins: oidc.issuer ? [new URL(oidc.issuer).origin] : [],
  });
  return app;
}
