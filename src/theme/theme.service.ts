import { statSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/core';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PUBLIC_DIR } from '../config/paths';
import { type CurrentMunicipality, Municipality } from '../tenancy';
import {
  BrandColorCheck,
  type CheckedBrandColor,
  type HexColor,
  type SchemeContrast,
} from './brand-color';
import { type ColorTools, loadColorTools } from './color-tools';
import { type ThemeTenant, themeSettingsOf } from './theme-settings';
import { neutralPageColors } from './page-colors';
import { accentStylesheet, stylesheetHash } from './theme-stylesheet';

/** What a page needs of its municipality's look (`res.locals.theme`). */
export interface Theme {
  /** The stylesheet with the municipality's accent colour; absent: Designsystemet's own. */
  stylesheet?: string;
  logo?: { src: string };
}

const DEFAULT_THEME: Theme = Object.freeze({});
const LOGOS_DIR = join(PUBLIC_DIR, 'logos');
/** The least time between two reads of all municipalities for a stylesheet nobody here made. */
const RESCAN_MS = 10_000;

function logoExists(file: string): boolean {
  return statSync(join(LOGOS_DIR, file), { throwIfNoEntry: false })?.isFile() ?? false;
}

function figures(contrast: SchemeContrast[]): string {
  return contrast
    .map(
      ({ scheme, text, againstPage }) =>
        `${scheme}: text ${text.toFixed(2)}:1, against the page ${againstPage.toFixed(2)}:1`,
    )
    .join('; ');
}

/**
 * Each municipality's Designsystemet theme: a stylesheet for its brand colour (checked for contrast,
 * adjusted when it fails) and its logo. Stylesheets are made once per colour and named by their
 * content, so any instance can answer for one another instance linked (it reads the municipalities
 * when asked for a name it does not know).
 */
@Injectable()
export class ThemeService implements OnModuleInit {
  private readonly logger = new Logger('Theme');
  private tools!: ColorTools;
  private colors!: BrandColorCheck;
  private readonly byColor = new Map<HexColor, { url: string; checked: CheckedBrandColor }>();
  private readonly byHash = new Map<string, string>();
  /** Keyed by the tenancy's snapshot, which it replaces when it reads the municipalities again. */
  private readonly bySnapshot = new WeakMap<CurrentMunicipality, Theme>();
  private readonly reported = new Set<string>();
  private rescannedAt = -Infinity;

  constructor(private readonly em: EntityManager) {}

  async onModuleInit(): Promise<void> {
    this.tools = await loadColorTools();
    this.colors = new BrandColorCheck(this.tools, neutralPageColors(this.tools));
  }

  /** The theme of a request's municipality: one WeakMap lookup once the snapshot has been seen. */
  themeFor(municipality: CurrentMunicipality): Theme {
    let theme = this.bySnapshot.get(municipality);
    if (!theme) {
      theme = this.themeOrDefault(municipality);
      this.bySnapshot.set(municipality, theme);
    }
    return theme;
  }

  /**
   * The municipality's theme, or the one line that says why its settings are refused. Makes and
   * keeps its stylesheet, and warns (once) when its colour had to be adjusted.
   */
  prepare(tenant: ThemeTenant): { theme: Theme } | { problem: string } {
    const result = themeSettingsOf(tenant, logoExists);
    if (!result.ok) return { problem: result.problem };
    const { brandColor, logo } = result.settings;
    return {
      theme: Object.freeze({
        ...(brandColor ? { stylesheet: this.stylesheetFor(tenant.slug, brandColor) } : {}),
        ...(logo ? { logo: { src: `/static/logos/${logo}` } } : {}),
      }),
    };
  }

  /** The stylesheet named `hash`, if it is one of a municipality's. */
  async stylesheet(hash: string): Promise<string | undefined> {
    const known = this.byHash.get(hash);
    if (known !== undefined || Date.now() - this.rescannedAt < RESCAN_MS) return known;
    this.rescannedAt = Date.now();
    const rows = await this.em.fork().find(Municipality, {});
    for (const row of rows) this.themeOrDefault({ slug: row.slug, settings: { ...row.settings } });
    return this.byHash.get(hash);
  }

  /** At run time a municipality with refused settings keeps the default look, never an error page. */
  private themeOrDefault(tenant: ThemeTenant): Theme {
    const prepared = this.prepare(tenant);
    if ('theme' in prepared) return prepared.theme;
    this.reportOnce('error', `${prepared.problem}; Designsystemet's own theme is used`);
    return DEFAULT_THEME;
  }

  private stylesheetFor(slug: string, color: HexColor): string {
    let made = this.byColor.get(color);
    if (!made) {
      const checked = this.colors.check(color);
      const css = accentStylesheet(this.tools, checked.used);
      const hash = stylesheetHash(css);
      this.byHash.set(hash, css);
      made = { url: `/tema/${hash}.css`, checked };
      this.byColor.set(color, made);
    }
    const { checked } = made;
    if (checked.adjusted) {
      this.reportOnce(
        'warn',
        `municipality ${slug}: settings.theme.brandColor ${checked.configured} fails WCAG AA contrast ` +
          `(${figures(checked.contrast.configured)}); using ${checked.used} (${figures(checked.contrast.used)})`,
      );
    }
    return made.url;
  }

  private reportOnce(level: 'warn' | 'error', message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.logger[level](message);
  }
}
