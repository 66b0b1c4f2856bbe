import { Logger } from '@nestjs/common';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { freePort } from '../support/free-port';
import { HostAgent } from '../support/host-agent';
import { databaseWithMunicipality } from '../support/operator-database';
import { spawnPortal } from '../support/spawn-portal';
import { startTestApp, type TestApp } from '../support/test-app';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const STYLESHEET_LINK = /<link rel="stylesheet" href="(\/tema\/[0-9a-f]{16}\.css)">/;
const LOGO = /<img class="brand-logo" src="([^"]+)"/;

/** The light scheme's accent base colour a theme stylesheet sets. */
const lightBase = (css: string) =>
  /ds\.theme\.color-scheme\.light\{[^{]+\{[^}]*--ds-color-accent-base-default:(#[0-9a-f]{6})/.exec(
    css,
  )?.[1];

describe('A theme per municipality (e2e)', () => {
  let t: TestApp;
  let warnings: string[];
  let errors: string[];
  const agent = (host: string) => new HostAgent(t.url, host);

  beforeAll(async () => {
    // Kept for the whole file: a request for an unknown stylesheet makes every theme, and may be
    // what logs a warning first.
    warnings = [];
    errors = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(String(message));
    });
    t = await startTestApp();
    const municipality = (host: string, theme: unknown) =>
      createMunicipality(t.em(), {
        hostnames: [host],
        settings: { financeAdapter: 'embedded', theme } as Municipality['settings'],
      });
    await municipality('sjo.theme.test', { brandColor: '#0b5e7a', logo: 'fjordvik.svg' });
    await municipality('skog.theme.test', { brandColor: '#8b1e2d', logo: 'asdal.svg' });
    await municipality('gul.theme.test', { brandColor: '#ffe066' });
    await municipality('feil.theme.test', { brandColor: 'sea blue' });
    await municipality('grå.theme.test', undefined);
    t.refreshTenants();
  });
  afterAll(async () => {
    await t?.close();
    jest.restoreAllMocks();
  });
  async function themeOf(host: string) {
    const page = await agent(host).get('/');
    expect(page.status).toBe(200);
    return {
      stylesheet: STYLESHEET_LINK.exec(page.body)?.[1],
      logo: LOGO.exec(page.body)?.[1],
    };
  }

  it('gives two municipalities on one installation their own stylesheet and logo', async () => {
    const sea = await themeOf('sjo.theme.test');
    const forest = await themeOf('skog.theme.test');

    expect(sea.stylesheet).toBeDefined();
    expect(forest.stylesheet).toBeDefined();
    expect(sea.stylesheet).not.toBe(forest.stylesheet);
    expect(sea.logo).toBe('/static/logos/fjordvik.svg');
    expect(forest.logo).toBe('/static/logos/asdal.svg');
    const logo = await agent('sjo.theme.test').get(sea.logo!, 'image/*');
    expect(logo.status).toBe(200);
    expect(logo.contentType).toMatch(/^image\/svg\+xml/);
  });

  it('serves the stylesheet as CSS cached for good, holding the brand colour as accent base', async () => {
    const { stylesheet } = await themeOf('sjo.theme.test');

    const css = await agent('sjo.theme.test').get(stylesheet!, 'text/css');

    expect(css.status).toBe(200);
    expect(css.contentType).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe(IMMUTABLE);
    expect(lightBase(css.body)).toBe('#0b5e7a');
    expect(css.body).toContain('@media (prefers-color-scheme:dark){[data-color-scheme=auto]{');
    // The name is the content's: any municipality's host answers it the same.
    expect((await agent('skog.theme.test').get(stylesheet!, 'text/css')).body).toBe(css.body);
  });

  it('answers 404, not cached, for a stylesheet name it does not know', async () => {
    for (const path of ['/tema/0123456789abcdef.css', '/tema/style.css']) {
      const answer = await agent('sjo.theme.test').get(path, 'text/css');
      expect(answer.status).toBe(404);
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves a low-contrast colour adjusted, and warns once naming both colours and the figures', async () => {
    const first = await themeOf('gul.theme.test');
    await themeOf('gul.theme.test');

    const css = (await agent('gul.theme.test').get(first.stylesheet!, 'text/css')).body;
    const used = lightBase(css);
    expect(used).toMatch(/^#[0-9a-f]{6}$/);
    expect(used).not.toBe('#ffe066');
    expect(css).not.toContain('#ffe066');
    const warned = warnings.filter((line) => line.includes('#ffe066'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^municipality test-\w+: settings\.theme\.brandColor #ffe066 fails WCAG AA contrast \(light: text [\d.]+:1, against the page [\d.]+:1; dark: .+\); using (#[0-9a-f]{6}) \(.+\)$/,
    );
    expect(warned[0]).toContain(`using ${used} (`);
  });

  it('gives a municipality without a theme, or with one it refuses, Designsystemet’s own look', async () => {
    expect(await themeOf('grå.theme.test')).toEqual({ stylesheet: undefined, logo: undefined });

    expect(await themeOf('feil.theme.test')).toEqual({ stylesheet: undefined, logo: undefined });
    expect(errors.filter((line) => line.includes('sea blue'))).toEqual([
      expect.stringMatching(
        /^municipality test-\w+: settings\.theme\.brandColor must be a colour written #rrggbb, got "sea blue"; Designsystemet's own theme is used$/,
      ),
    ]);
  });

  describe('at start-up (the built portal, a real process)', () => {
    it.each([
      [
        'a brand colour that is not #rrggbb',
        { brandColor: 'sea blue' },
        /^minside-faktura could not start: municipality bergvik: settings\.theme\.brandColor must be a colour written #rrggbb, got "sea blue"$/,
      ],
      [
        'a logo that is not in public/logos/',
        { logo: 'bergvik.svg' },
        /^minside-faktura could not start: municipality bergvik: settings\.theme\.logo names public\/logos\/bergvik\.svg, which does not exist$/,
      ],
    ])(
      'refuses %s with one line naming the municipality and the setting',
      async (_name, theme, expected) => {
        const db = await databaseWithMunicipality({ financeAdapter: 'embedded', theme });
        try {
          const { child, done } = spawnPortal({
            ...db.env,
            PORT: String(await freePort()),
            DEMO_SEED: 'false',
          });
          // A portal that starts all the same is stopped, so the test fails rather than hangs.
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          const run = await done.finally(() => clearTimeout(timer));
          expect(run.code).toBe(1);
          expect(run.stderr.trim().split('\n')).toHaveLength(1);
          expect(run.stderr.trim()).toMatch(expected);
        } finally {
          await db.drop();
        }
      },
    );
  });
});
