import { MikroORM } from '@mikro-orm/core';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PassportModule } from '@nestjs/passport';
import type * as client from 'openid-client';
import { AuditModule } from '../audit';
import { TenancyModule } from '../tenancy';
import { AuthController } from './auth.controller';
import { IdportenLoginGuard } from './idporten-login.guard';
import { IdportenStrategy } from './idporten.strategy';
import { OIDC_CLIENT, oidcClientProvider } from './oidc-client.provider';
import { type OidcConfig, oidcConfig } from './oidc.config';
import { type AppConfig, appConfig } from '../config/app.config';
import { MikroOrmSessionStore } from './session/mikro-orm-session.store';
import { SessionCipher } from './session/session-cipher';
import { SESSION_STORE, SessionService, STAFF_SESSION_STORE } from './session/session.service';
import { StaffAuthController } from './staff/staff-auth.controller';
import { StaffHomeController } from './staff/staff-home.controller';
import { StaffLoginGuard } from './staff/staff-login.guard';
import { StaffLoginService } from './staff/staff-login.service';
import { staffOidcClientProvider } from './staff/staff-oidc-client.provider';
import { STAFF_OIDC_CLIENT, StaffOidcStrategy } from './staff/staff-oidc.strategy';
import { type StaffOidcConfig, staffOidcConfig } from './staff/staff-oidc.config';
import { StaffRoleMapCheck } from './staff/staff-role-map.check';

@Module({
  imports: [
    ConfigModule.forFeature(oidcConfig),
    ConfigModule.forFeature(staffOidcConfig),
    PassportModule,
    AuditModule,
    TenancyModule,
  ],
  controllers: [AuthController, StaffAuthController, StaffHomeController],
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
    // The same sealed sessions table, with the staff's idle time.
    {
      provide: STAFF_SESSION_STORE,
      inject: [MikroORM, staffOidcConfig.KEY, appConfig.KEY],
      useFactory: (orm: MikroORM, settings: StaffOidcConfig, app: AppConfig) =>
        new MikroOrmSessionStore(
          orm,
          settings.idleMinutes * 60_000,
          new SessionCipher(app.sessionSecret),
        ),
    },
    SessionService,
    IdportenLoginGuard,
    staffOidcClientProvider,
    {
      provide: StaffOidcStrategy,
      inject: [STAFF_OIDC_CLIENT, staffOidcConfig.KEY],
      useFactory: (oidc: client.Configuration | null, settings: StaffOidcConfig) =>
        oidc ? new StaffOidcStrategy(oidc, settings) : null,
    },
    StaffLoginGuard,
    StaffLoginService,
    StaffRoleMapCheck,
  ],
  exports: [SessionService, SESSION_STORE, STAFF_SESSION_STORE],
})
export class AuthModule {}
