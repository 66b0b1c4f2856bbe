import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AppConfig, appConfig } from '../../config/app.config';
import { ConfigError } from '../../config/config.error';
import { DEMO_MUNICIPALITY_SLUGS, Municipality } from '../../tenancy';
import { roleMapSlugs } from './staff-role-map';
import { type StaffOidcConfig, staffOidcConfig } from './staff-oidc.config';

/**
 * Refuses to start while `STAFF_ROLE_MAP` names a municipality this installation does not serve
 * (a typo would silently give nobody a role): one line naming the slug. Runs once the migrations
 * have; the demo's municipalities count as served when the demo seed is on, whichever runs first.
 */
@Injectable()
export class StaffRoleMapCheck implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    @Inject(staffOidcConfig.KEY) private readonly staff: StaffOidcConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const named = roleMapSlugs(this.staff.roleMap);
    if (named.length === 0) return;
    const rows = await this.orm.em.fork().find(Municipality, {}, { fields: ['slug'] });
    const known = new Set(rows.map((m) => m.slug));
    if (this.app.demoSeed && !this.app.production)
      for (const slug of DEMO_MUNICIPALITY_SLUGS) known.add(slug);
    const unknown = named.filter((slug) => !known.has(slug));
    if (unknown.length === 0) return;
    const served = [...known].sort().join(', ') || 'none yet';
    throw new ConfigError(
      `Invalid configuration: STAFF_ROLE_MAP names ${unknown.map((s) => `'${s}'`).join(', ')}, which this installation does not serve (municipalities: ${served})`,
    );
  }
}
