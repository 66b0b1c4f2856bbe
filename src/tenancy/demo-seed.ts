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
    settings: {
      financeAdapter: 'embedded' as const,
      theme: { brandColor: '#0b5e7a', logo: 'fjordvik.svg' },
    },
  },
  {
    slug: 'asdal',
    name: 'Åsdal kommune',
    orgNumber: '999000022',
    hostnames: ['asdal.localhost'],
    contactEmail: 'postmottak@asdal.kommune.example',
    contactPhone: '+47 61 00 00 00',
    // Åsdal's own, stricter rules: bills of 1 500 kr or more go to an officer.
    settings: {
      financeAdapter: 'embedded' as const,
      policyFile: 'asdal.policy.json',
      theme: { brandColor: '#8b1e2d', logo: 'asdal.svg' },
    },
  },
];

/** The demo municipalities' slugs: there once the demo seed has run, whatever the start order. */
export const DEMO_MUNICIPALITY_SLUGS: readonly string[] = DEMO_MUNICIPALITIES.map((m) => m.slug);

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
    let themed = 0;
    for (const data of DEMO_MUNICIPALITIES) {
      const existing = await em.findOne(Municipality, { slug: data.slug });
      if (!existing) {
        em.create(Municipality, data);
        created++;
      } else if (existing.settings.theme === undefined) {
        // A demo database made before the municipalities had their looks gets them, once.
        existing.settings = { ...existing.settings, theme: data.settings.theme };
        themed++;
      }
    }
    await em.flush();
    if (created > 0) this.logger.log(`Seeded ${created} demo municipalities`);
    if (themed > 0) this.logger.log(`Gave ${themed} demo municipalities their theme`);
    if (created > 0 || themed > 0) this.tenancy.invalidate();
  }
}
