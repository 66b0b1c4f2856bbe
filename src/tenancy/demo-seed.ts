import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type AppConfig, appConfig } from '../config/app.config';
import { Municipality } from './municipality.entity';
import { TenancyService } from './tenancy.service';

/** Two fictional municipalities sharing one installation, as an inter-municipal IT cooperation would. */
export const DEMO_MUNICIPALITIES = [
  {
    slug: 'fjordvik',
    name: 'Fjordvik kommune',
    orgNumber: '999000011',
    hostnames: ['localhost', '127.0.0.1', 'fjordvik.localhost'],
    contactEmail: 'postmottak@fjordvik.kommune.example',
    contactPhone: '+47 55 00 00 00',
    settings: { financeAdapter: 'embedded' as const },
  },
  {
    slug: 'asdal',
    name: 'Åsdal kommune',
    orgNumber: '999000022',
    hostnames: ['asdal.localhost'],
    contactEmail: 'postmottak@asdal.kommune.example',
    contactPhone: '+47 61 00 00 00',
    // Åsdal's own, stricter rules: bills of 1 500 kr or more go to an officer.
    settings: { financeAdapter: 'embedded' as const, policyFile: 'asdal.policy.json' },
  },
];

/** Fills an empty demo database so a person can try the portal at once; never runs in production. */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || this.config.production) return;
    const em = this.em.fork();
    let created = 0;
    for (const data of DEMO_MUNICIPALITIES) {
      if (await em.count(Municipality, { slug: data.slug })) continue;
      em.create(Municipality, data);
      created++;
    }
    await em.flush();
    if (created > 0) {
      this.tenancy.invalidate();
      this.logger.log(`Seeded ${created} demo municipalities`);
    }
  }
}
