import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { FinanceModule } from '../finance/finance.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { ReceiptMailModule } from '../mail/receipt-mail.module';
import { PolicyModule } from '../policy/policy.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { WritebackModule } from '../writeback/writeback.module';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { DeferralFormSection } from './deferral-form.section';
import { DeferralsController } from './deferrals.controller';
import { DeferralReceipts } from './deferral-receipts';
import { DeferralsService } from './deferrals.service';

@Module({
  imports: [
    FinanceModule,
    InvoicesModule,
    PolicyModule,
    AuditModule,
    WritebackModule,
    ReceiptMailModule,
    TenancyModule,
  ],
  controllers: [DeferralsController, CasesController],
  providers: [DeferralsService, DeferralFormSection, CasesService, DeferralReceipts],
  exports: [DeferralsService],
})
export class DeferralsModule {}
