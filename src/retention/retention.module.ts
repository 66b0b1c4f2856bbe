import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { DeferralsModule } from '../deferrals';
import { TenancyModule } from '../tenancy';
import { RetentionAdminController } from './retention-admin.controller';
import { RetentionAdminPage } from './retention-admin.page';
import { RetentionAdminService } from './retention-admin.service';
import { retentionConfig } from './retention.config';
import { RetentionSettingsCheck } from './retention-settings.check';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

/**
 * Removes residents' personal data a municipality's retention period (`settings.retention.years`,
 * or RETENTION_YEARS) after the decision, daily; operators set the period on their page.
 */
@Module({
  imports: [ConfigModule.forFeature(retentionConfig), AuditModule, DeferralsModule, TenancyModule],
  controllers: [RetentionAdminController],
  providers: [
    RetentionService,
    RetentionScheduler,
    RetentionSettingsCheck,
    RetentionAdminService,
    RetentionAdminPage,
  ],
  exports: [RetentionService],
})
export class RetentionModule {}
