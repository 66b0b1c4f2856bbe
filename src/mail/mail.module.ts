import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mailConfig } from './mail.config';
import { MailService } from './mail.service';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

/**
 * E-mail to residents: the deferral receipt. Other modules inject MailService, and the letter's
 * renderer (digital post renders the same letter as a PDF).
 */
@Module({
  imports: [ConfigModule.forFeature(mailConfig)],
  providers: [
    { provide: ReceiptLetterRenderer, useFactory: () => new ReceiptLetterRenderer() },
    MailService,
  ],
  exports: [MailService, ReceiptLetterRenderer],
})
export class MailModule {}
