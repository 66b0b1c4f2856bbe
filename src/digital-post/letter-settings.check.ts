import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { refuseSettingsProblems } from '../config/config.error';
import { TenancyService } from '../tenancy';
import { LETTER_SECRETS, letterSettingsProblem, type SecretLookup } from './letter-settings';

/**
 * Refuses to start while a municipality's letter settings are malformed or name a secret that is
 * not set, naming the setting: otherwise every decision letter would wait in the outbox for a
 * configuration nobody was told about.
 */
@Injectable()
export class LetterSettingsCheck implements OnApplicationBootstrap {
  constructor(
    private readonly tenancy: TenancyService,
    @Inject(LETTER_SECRETS) private readonly secrets: SecretLookup,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = (await this.tenancy.all()).map((m) =>
      letterSettingsProblem(m.slug, m.settings, this.secrets),
    );
    refuseSettingsProblems(problems);
  }
}
