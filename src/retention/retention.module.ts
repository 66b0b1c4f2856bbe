import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { DeferralsModule } from '../deferrals';
import { TenancyModule } from '../tenancy';
import { retentionConfig } from './retention.config';
import { RetentionSettingsCheck } from './retention-settings.check';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

/**
 * Removes residents' personal data a municipality's retention period (`settings.retention.years`,
 * or RETENTION_YEARS) after the decision, daily.
 */
@Module({
  imports: [ConfigModule.forFeature(retentionConfig), AuditModule, DeferralsModule, TenancyModule],
  providers: [RetentionService, RetentionScheduler, RetentionSettingsCheck],
  exports: [RetentionService],
})
export class RetentionModule {}
