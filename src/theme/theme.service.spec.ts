import type { EntityManager } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import type { CurrentMunicipality } from '../tenancy';
import { ThemeService } from './theme.service';

function municipality(slug: string, theme?: unknown): CurrentMunicipality {
  return {
    id: `id-${slug}`,
    slug,
    name: `${slug} kommune`,
    orgNumber: '999000099',
    contactEmail: `post@${slug}.example`,
    contactPhone: '+47 12 34 56 78',
    settings: theme === undefined ? {} : { theme },
    hostnames: [`${slug}.example`],
  };
}

describe('ThemeService', () => {
  let rows: { slug: string; settings: Record<string, unknown> }[];
  let themes: ThemeService;
  let warnings: string[];
  let errors: string[];

  beforeEach(async () => {
    rows = [];
    warnings = [];
    errors = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: string) => {
      warnings.push(message);
    });
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: string) => {
      errors.push(message);
    });
    const em = { fork: () => ({ find: async () => rows }) } as unknown as EntityManager;
    themes = new ThemeService(em);
    await themes.onModuleInit();
  });
  afterEach(() => jest.restoreAllMocks());

  describe('themeFor', () => {
    it('gives a municipality without a theme Designsystemet’s own: no stylesheet, no logo', () => {
      expect(themes.themeFor(municipality('bergvik'))).toEqual({});
    });

    it('gives each brand colour its own content-named stylesheet, and the logo under /static/logos/', () => {
      const fjordvik = themes.themeFor(
        municipality('fjordvik', { brandColor: '#0b5e7a', logo: 'fjordvik.svg' }),
      );
      const asdal = themes.themeFor(municipality('asdal', { brandColor: '#8b1e2d' }));
      expect(fjordvik.stylesheet).toMatch(/^\/tema\/[0-9a-f]{16}\.css$/);
      expect(asdal.stylesheet).toMatch(/^\/tema\/[0-9a-f]{16}\.css$/);
      expect(asdal.stylesheet).not.toBe(fjordvik.stylesheet);
      expect(fjordvik.logo).toEqual({ src: '/static/logos/fjordvik.svg' });
      expect(asdal.logo).toBeUndefined();
    });

    it('answers the same snapshot with the same object (the per-request cost is one lookup)', () => {
      const snapshot = municipality('fjordvik', { brandColor: '#0b5e7a' });
      expect(themes.themeFor(snapshot)).toBe(themes.themeFor(snapshot));
    });

    it('uses the adjusted colour for a low-contrast one, and warns once naming both and the figures', async () => {
      const first = themes.themeFor(municipality('gulvik', { brandColor: '#ffe066' }));
      themes.themeFor(municipality('gulvik', { brandColor: '#ffe066' })); // a later snapshot

      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^municipality gulvik: settings\.theme\.brandColor #ffe066 fails WCAG AA contrast \(light: text [\d.]+:1, against the page 1\.30:1; dark: .*\); using #[0-9a-f]{6} \(light: .*; dark: .*\)$/,
      );
      const used = /using (#[0-9a-f]{6})/.exec(warnings[0])![1];
      const css = await themes.stylesheet(/\/tema\/(\w+)\.css/.exec(first.stylesheet!)![1]);
      expect(css).toContain(`--ds-color-accent-base-default:${used}`);
      expect(css).not.toContain('#ffe066');
    });

    it('falls back to Designsystemet’s own theme for settings it refuses, and logs the error once', () => {
      const bad = municipality('bergvik', { brandColor: 'sea blue', logo: 'bergvik.svg' });
      expect(themes.themeFor(bad)).toEqual({});
      themes.themeFor(municipality('bergvik', { brandColor: 'sea blue', logo: 'bergvik.svg' }));
      expect(errors).toEqual([
        'municipality bergvik: settings.theme.brandColor must be a colour written #rrggbb, got "sea blue"; Designsystemet\'s own theme is used',
      ]);
    });
  });

  describe('stylesheet', () => {
    it('answers the generated CSS by its hash, holding the brand colour as accent base', async () => {
      const { stylesheet } = themes.themeFor(municipality('fjordvik', { brandColor: '#0b5e7a' }));
      const css = await themes.stylesheet(/\/tema\/(\w+)\.css/.exec(stylesheet!)![1]);
      expect(css).toContain('--ds-color-accent-base-default:#0b5e7a');
    });

    it('knows the stylesheets of municipalities this instance has not served yet', async () => {
      const other = new ThemeService({ fork: () => ({ find: async () => rows }) } as never);
      await other.onModuleInit();
      const { stylesheet } = other.themeFor(municipality('asdal', { brandColor: '#8b1e2d' }));
      rows = [{ slug: 'asdal', settings: { theme: { brandColor: '#8b1e2d' } } }];

      const css = await themes.stylesheet(/\/tema\/(\w+)\.css/.exec(stylesheet!)![1]);

      expect(css).toContain('--ds-color-accent-base-default:#8b1e2d');
    });

    it('answers nothing for a hash it does not know', async () => {
      expect(await themes.stylesheet('0000000000000000')).toBeUndefined();
    });
  });
});
