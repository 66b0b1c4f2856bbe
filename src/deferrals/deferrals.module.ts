import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DigitalPostModule } from '../digital-post';
import { FinanceModule } from '../finance';
import { InvoicesModule } from '../invoices';
import { ReceiptMailModule } from '../mail';
import { PolicyModule } from '../policy';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { CaseProofController } from './case-proof.controller';
import { CaseProofs } from './case-proofs';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { CaseWorkService } from './case-work/case-work.service';
import { CaseSettingsCheck } from './case-work/case-settings.check';
import { DeferralFormSection } from './deferral-form.section';
import { DeferralsController } from './deferrals.controller';
import { DeferralReceipts } from './deferral-receipts';
import { DeferralsService } from './deferrals.service';
import { CaseStatistics } from './statistics/case-statistics';
import { PersonalDataRemoval } from './personal-data/personal-data-removal';

@Module({
  imports: [
    FinanceModule,
    InvoicesModule,
    PolicyModule,
    AuditModule,
    WritebackModule,
    ReceiptMailModule,
    DigitalPostModule,
    TenancyModule,
  ],
  controllers: [DeferralsController, CasesController, CaseProofController],
  providers: [
    DeferralsService,
    DeferralFormSection,
    CasesService,
    CaseProofs,
    DeferralReceipts,
    CaseSettingsCheck,
    CaseWorkService,
    CaseStatistics,
    PersonalDataRemoval,
  ],
  exports: [DeferralsService, CaseWorkService, CaseStatistics, PersonalDataRemoval],
})
export class DeferralsModule {}
