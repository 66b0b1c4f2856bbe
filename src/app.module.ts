import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { loginStartThrottler } from './auth/login-throttle';
import { AuditModule } from './audit/audit.module';
import { AuditReviewModule } from './audit-review';
import { AuthModule } from './auth/auth.module';
import { AuthenticatedGuard } from './auth/authenticated.guard';
import { type AppConfig, appConfig } from './config/app.config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './entities';
import { DeferralsModule } from './deferrals';
import { FinanceModule } from './finance/finance.module';
import { FinanceAdminModule } from './finance-admin';
import { HealthModule } from './health/health.module';
import { InvoicesModule } from './invoices/invoices.module';
import { LettersAdminModule } from './letters-admin';
import { MailModule } from './mail/mail.module';
import { OverviewModule } from './overview';
import { PolicyModule } from './policy/policy.module';
import { PolicyAdminModule } from './policy-admin/policy-admin.module';
import { RetentionModule } from './retention';
import { OfficerCasesModule } from './officer-cases';
import { TenancyModule } from './tenancy/tenancy.module';
import { ThemeModule } from './theme/theme.module';
import { loggingModule } from './web/logging.setup';
import { WebModule } from './web/web.module';
import { WritebackModule } from './writeback/writeback.module';
import { WritebackAdminModule } from './writeback-admin';

@Module({
  imports: [
    AppConfigModule,
    loggingModule,
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => [
        { name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute },
        loginStartThrottler(config.loginRateLimitPerMinute),
      ],
    }),
    // Every feature by name, so none runs only because another happens to import it.
    DatabaseModule.forRoot(ENTITIES),
    TenancyModule,
    ThemeModule,
    AuthModule,
    FinanceModule,
    PolicyModule,
    AuditModule,
    MailModule,
    WritebackModule,
    InvoicesModule,
    DeferralsModule,
    PolicyAdminModule,
    OverviewModule,
    WritebackAdminModule,
    FinanceAdminModule,
    LettersAdminModule,
    OfficerCasesModule,
    AuditReviewModule,
    RetentionModule,
    WebModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthenticatedGuard },
  ],
})
export class AppModule {}
