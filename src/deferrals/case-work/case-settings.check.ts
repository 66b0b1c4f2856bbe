import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError } from '../../config/config.error';
import { TenancyService } from '../../tenancy';
import { caseSettingsProblem } from './case-settings';

/** Refuses to start while a municipality's case settings are malformed, naming the setting. */
@Injectable()
export class CaseSettingsCheck implements OnApplicationBootstrap {
  constructor(private readonly tenancy: TenancyService) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = (await this.tenancy.all())
      .map((m) => caseSettingsProblem(m.slug, m.settings))
      .filter((problem) => problem !== undefined);
    if (problems.length === 0) return;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ConfigError(`${problems[0]}${more}`);
  }
}
