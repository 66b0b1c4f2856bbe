import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { DeferralsModule } from '../deferrals';
import { TenancyModule } from '../tenancy';
import { retentionConfig } from './retention.config';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

/** Removes residents' personal data RETENTION_YEARS after the decision, daily. */
@Module({
  imports: [ConfigModule.forFeature(retentionConfig), AuditModule, DeferralsModule, TenancyModule],
  providers: [RetentionService, RetentionScheduler],
  exports: [RetentionService],
})
export class RetentionModule {}
