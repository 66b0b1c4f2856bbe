import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { MailModule } from '../mail';
import { TenancyModule } from '../tenancy';
import { type DigitalPostConfig, digitalPostConfig } from './digital-post.config';
import { DigitalPostOutbox } from './digital-post.outbox';
import { DigitalPostSender } from './digital-post.sender';
import { DigitalPostWorker } from './digital-post.worker';
import { LetterChannelTest } from './letter-channel-test';
import { LETTER_SECRETS, letterSecretsFrom } from './letter-settings';
import { LetterSettingsCheck } from './letter-settings.check';
import { MaskinportenClient } from './maskinporten.client';
import { SvarUtClient } from './svarut.client';

/**
 * Decision letters as digital post through KS Fiks SvarUt (which routes them to Digipost,
 * e-Boks, Altinn or print), for municipalities that choose it in `settings.letters`: a PDF of the
 * same letter the e-mail carries, queued in an outbox of its own with the decision.
 */
@Module({
  imports: [ConfigModule.forFeature(digitalPostConfig), AuditModule, TenancyModule, MailModule],
  providers: [
    { provide: LETTER_SECRETS, useFactory: () => letterSecretsFrom(process.env) },
    {
      provide: SvarUtClient,
      inject: [digitalPostConfig.KEY],
      useFactory: (config: DigitalPostConfig) =>
        new SvarUtClient(new MaskinportenClient(config.timeoutMs), config.timeoutMs),
    },
    DigitalPostSender,
    DigitalPostWorker,
    DigitalPostOutbox,
    LetterSettingsCheck,
    LetterChannelTest,
  ],
  exports: [DigitalPostOutbox, DigitalPostWorker, LetterChannelTest, LETTER_SECRETS],
})
export class DigitalPostModule {}
