import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeferralsModule } from '../deferrals';
import { PolicyModule } from '../policy';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { ActivityController } from './activity.controller';
import { DecisionPageService } from './decision-page.service';
import { DecisionReplayService } from './decision-replay.service';
import { DecisionSearchPage } from './decision-search.page';
import { DecisionSearchService } from './decision-search.service';
import { DecisionsController } from './decisions.controller';
import { ExportController } from './export.controller';
import { ProofCheckService } from './proof-check';
import { ProofController } from './proof.controller';
import { PolicyHistoryController } from './policy-history.controller';
import { PolicyHistoryPages } from './policy-history.pages';
import { PolicyHistoryService } from './policy-history.service';
import { ReplayPages } from './replay.pages';
import { StaffActivityService } from './staff-activity.service';
import { VerificationController } from './verification/verification.controller';
import { VerificationRunsService } from './verification/verification-runs.service';

/**
 * The auditors' pages under /revisjon: search decisions, open one, replay one or a period's with
 * the versions they recorded, staff activity from the audit chain, and the policy history (each
 * version, what changed, when in force, its decisions). Read only, apart from the audit entry
 * that records an auditor opening a decision.
 */
@Module({
  imports: [AuditModule, DeferralsModule, PolicyModule, TenancyModule, WritebackModule],
  controllers: [
    DecisionsController,
    ActivityController,
    ExportController,
    PolicyHistoryController,
    ProofController,
    VerificationController,
  ],
  providers: [
    DecisionSearchService,
    DecisionSearchPage,
    DecisionPageService,
    DecisionReplayService,
    ReplayPages,
    StaffActivityService,
    VerificationRunsService,
    ProofCheckService,
    PolicyHistoryService,
    PolicyHistoryPages,
  ],
})
export class AuditReviewModule {}
