import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { refuseSettingsProblems } from '../config/config.error';
import { TenancyService } from '../tenancy';
import { retentionSettingsProblem } from './retention-settings';

/** Refuses to start while a municipality's retention period is malformed, naming the setting. */
@Injectable()
export class RetentionSettingsCheck implements OnApplicationBootstrap {
  constructor(private readonly tenancy: TenancyService) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = (await this.tenancy.all()).map((m) =>
      retentionSettingsProblem(m.slug, m.settings),
    );
    refuseSettingsProblems(problems);
  }
}
