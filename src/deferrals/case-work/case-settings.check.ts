import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { refuseSettingsProblems } from '../../config/config.error';
import { TenancyService } from '../../tenancy';
import { caseSettingsProblem } from './case-settings';

/** Refuses to start while a municipality's case settings are malformed, naming the setting. */
@Injectable()
export class CaseSettingsCheck implements OnApplicationBootstrap {
  constructor(private readonly tenancy: TenancyService) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = (await this.tenancy.all()).map((m) => caseSettingsProblem(m.slug, m.settings));
    refuseSettingsProblems(problems);
  }
}
