import { MikroORM } from '@mikro-orm/core';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { refuseSettingsProblems } from '../config/config.error';
import { Municipality } from '../tenancy';
import { ThemeService } from './theme.service';

/**
 * Refuses to start while a municipality's theme settings are wrong (a colour that is not
 * `#rrggbb`, a logo that is not an .svg or .png in `public/logos/`), with one line naming the
 * municipality and the setting, as the finance settings are checked. The stylesheets of all the
 * others are made on the way, and any colour adjusted for contrast is reported now. A municipality
 * added later with wrong settings gets Designsystemet's own theme and an error line instead.
 */
@Injectable()
export class ThemeSettingsCheck implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    private readonly themes: ThemeService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const municipalities = await this.orm.em
      .fork()
      .find(Municipality, {}, { orderBy: { slug: 'asc' } });
    const problems = municipalities
      .map((m) => this.themes.prepare({ slug: m.slug, settings: { ...m.settings } }))
      .flatMap((prepared) => ('problem' in prepared ? [prepared.problem] : []));
    refuseSettingsProblems(problems);
  }
}
