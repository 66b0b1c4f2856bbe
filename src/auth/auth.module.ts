import { MikroORM } from '@mikro-orm/core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PassportModule } from '@nestjs/passport';
import type * as client from 'openid-client';
import { AuthController } from './auth.controller';
import { IdportenLoginGuard } from './idporten-login.guard';
import { IdportenStrategy } from './idporten.strategy';
import { OIDC_CLIENT, oidcClientProvider } from './oidc-client.provider';
import { type OidcConfig, oidcConfig } from './oidc.config';
import { type AppConfig, appConfig } from '../config/app.config';
import { MikroOrmSessionStore } from './session/mikro-orm-session.store';
import { SessionCipher } from './session/session-cipher';
import { SESSION_STORE, SessionService } from './session/session.service';

@Module({
  imports: [ConfigModule.forFeature(oidcConfig), PassportModule],
  controllers: [AuthController],
  providers: [
    oidcClientProvider,
    {
      provide: IdportenStrategy,
      inject: [OIDC_CLIENT, oidcConfig.KEY],
      useFactory: (oidc: client.Configuration | null, settings: OidcConfig) =>
        oidc ? new IdportenStrategy(oidc, settings) : null,
    },
    {
      provide: SESSION_STORE,
      inject: [MikroORM, oidcConfig.KEY, appConfig.KEY],
      useFactory: (orm: MikroORM, settings: OidcConfig, app: AppConfig) =>
        new MikroOrmSessionStore(
          orm,
          settings.idleMinutes * 60_000,
          new SessionCipher(app.sessionSecret),
        ),
    },
    SessionService,
    IdportenLoginGuard,
  ],
  exports: [SessionService, SESSION_STORE],
})
export class AuthModule {}
