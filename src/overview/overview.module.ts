import { Module } from '@nestjs/common';
import { DeferralsModule } from '../deferrals';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { OverviewController } from './overview.controller';
import { OverviewPage } from './overview-page';
import { OverviewService } from './overview.service';

/** The finance officers' and policy approvers' dashboard ("Oversikt") and its CSV. */
@Module({
  imports: [DeferralsModule, WritebackModule, TenancyModule],
  controllers: [OverviewController],
  providers: [OverviewService, OverviewPage],
})
export class OverviewModule {}
