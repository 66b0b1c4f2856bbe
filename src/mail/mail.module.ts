import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mailConfig } from './mail.config';
import { MailService } from './mail.service';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

/** E-mail to residents: the deferral receipt. Other modules inject MailService. */
@Module({
  imports: [ConfigModule.forFeature(mailConfig)],
  providers: [
    { provide: ReceiptLetterRenderer, useFactory: () => new ReceiptLetterRenderer() },
    MailService,
  ],
  exports: [MailService],
})
export class MailModule {}
