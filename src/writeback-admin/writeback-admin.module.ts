import { Module } from '@nestjs/common';
import { ReceiptMailModule } from '../mail';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { HandoverMailer } from './handover-mailer';
import { WritebackAdminController } from './writeback-admin.controller';
import { WritebackPagePresenter } from './writeback-page.presenter';

/**
 * Finance officers' page for write-backs: new due dates handed over for them to register (and the
 * letter that tells their mailbox), and those that failed for good: retry, or resolved by hand.
 */
@Module({
  imports: [WritebackModule, TenancyModule, ReceiptMailModule],
  controllers: [WritebackAdminController],
  providers: [WritebackPagePresenter, HandoverMailer],
})
export class WritebackAdminModule {}
