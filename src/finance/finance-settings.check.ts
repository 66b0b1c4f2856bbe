import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { refuseSettingsProblems } from '../config/config.error';
import { Municipality } from '../tenancy';
import { type FinanceConfig, financeConfig } from './finance.config';
import { financeSettingsProblem } from './finance-settings';

/**
 * Refuses to start while a municipality's finance settings cannot work (an adapter name it does
 * not know, an http adapter without base URL or key), with one line naming the municipality and
 * the setting. Runs once the migrations have (module init); the demo seed that may follow writes
 * only working settings. A municipality added later with a bad setting is refused per request by
 * `RoutingFinanceSystem` and the HTTP adapter instead.
 */
@Injectable()
export class FinanceSettingsCheck implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    @Inject(financeConfig.KEY) private readonly config: FinanceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const municipalities = await this.orm.em
      .fork()
      .find(Municipality, {}, { orderBy: { slug: 'asc' } });
    const problems = municipalities.map((m) =>
      financeSettingsProblem(
        { id: m.id, slug: m.slug, settings: { ...m.settings } },
        this.config.apiKeys[m.slug] ?? this.config.defaultApiKey,
      ),
    );
    refuseSettingsProblems(problems);
  }
}
