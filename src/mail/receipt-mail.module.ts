import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { CheckpointMailer } from './checkpoint-mailer';
import { mailConfig } from './mail.config';
import { MailModule } from './mail.module';
import { ReceiptMailSender } from './receipt-mail-sender';
import { ReceiptMailWorker } from './receipt-mail.worker';
import { ReceiptOutbox } from './receipt-outbox';

/**
 * The receipt outbox: receipts queued with their decision (`ReceiptOutbox`) and sent by
 * `ReceiptMailWorker` with retries; audit checkpoints go out the same way (`CheckpointMailer`).
 * Apart from `MailModule`, which only talks SMTP and needs no database.
 */
@Module({
  imports: [ConfigModule.forFeature(mailConfig), MailModule, AuditModule],
  providers: [ReceiptMailSender, ReceiptMailWorker, ReceiptOutbox, CheckpointMailer],
  exports: [ReceiptOutbox, ReceiptMailWorker],
})
export class ReceiptMailModule {}
