import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { todayInNorway } from '../../src/shared/calendar-date';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';

/**
 * Every resident page, and the test login's, in Designsystemet: no WCAG 2.1 AA violation (axe) and
 * no sideways scrolling at 360 and 1280 px, in the light and the dark colour scheme; the error
 * summary, focus ring and a keyboard-only journey. With SCREENSHOTS=1 it also writes the pictures
 * in docs/screenshots/ that the README shows.
 */
const SCHEMES = ['light', 'dark'] as const;
const WIDTHS = [360, 1280] as const;
const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const NORDBY = '#8b1e2d';
const SORBY = '#0b5e7a';
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** WCAG relative luminance contrast of two CSS colours as the browser computed them (rgb/rgba). */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const lin = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('Designsystemet on every page in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    // Every page below is checked in a municipality's own colours: the deep red of the demo's Åsdal.
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'embedded', theme: { brandColor: NORDBY, logo: 'asdal.svg' } },
    });
    await createMunicipality(env.t.em(), {
      name: 'Sørby kommune',
      hostnames: ['localhost'],
      settings: { financeAdapter: 'embedded', theme: { brandColor: SORBY, logo: 'fjordvik.svg' } },
    });
    ledger = await seedLedgerFor(env.t.em(), municipality);
    env.t.refreshTenants();
    browser = await launchBrowser();
    if (SCREENSHOTS) mkdirSync('docs/screenshots', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const deferrable = () =>
    ledger
      .find((e) => e.pid === KARI)!
      .invoices.find((i) => i.status === 'UNPAID' && i.dueDate > todayInNorway())!;

  async function logIn(page: Page) {
    await page.goto(`${env.t.url}/auth/login`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.locator('#pid').fill(KARI);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);
  }

  describe.each(SCHEMES)('in the %s colour scheme', (colorScheme) => {
    it.each(WIDTHS)(
      'has no axe violation and no sideways scrolling on any page at %i px',
      async (width) => {
        const context: BrowserContext = await browser.newContext({
          viewport: { width, height: 900 },
          locale: 'nb-NO',
          colorScheme,
        });
        const page = await context.newPage();
        const problems = watchForProblems(page);
        const checked: string[] = [];
        const check = async (name: string) => {
          // The page and its stylesheets first: a form's answer may still be arriving.
          await page.waitForLoadState('load');
          // The scheme is the one asked for: the system's tokens answer prefers-color-scheme.
          const background = await page.evaluate(
            () => getComputedStyle(document.body).backgroundColor,
          );
          expect([name, background]).not.toEqual([name, 'rgba(0, 0, 0, 0)']);
          const dark =
            contrast(background, 'rgb(0, 0, 0)') < contrast(background, 'rgb(255, 255, 255)');
          expect([name, dark]).toEqual([name, colorScheme === 'dark']);
          expect([name, await axeViolations(page)]).toEqual([name, []]);
          expect([name, (await contentWidth(page)) <= width]).toEqual([name, true]);
          if (SCREENSHOTS)
            await page.screenshot({
              path: `docs/screenshots/${name}-${width}-${colorScheme}.png`,
              fullPage: true,
            });
          checked.push(name);
        };

        await page.goto(`${env.t.url}/`);
        await check('home');
        await page.goto(`${env.t.url}/auth/login`);
        await page.waitForURL(`${env.idporten.issuer}/**`);
        await check('test-login');
        await page.getByRole('button', { name: 'Logg inn' }).click();
        await page.locator('.ds-error-summary').waitFor();
        await check('test-login-error');
        await page.locator('#pid').fill(KARI);
        await page.getByRole('button', { name: 'Logg inn' }).click();
        await page.waitForURL(`${env.t.url}/fakturaer`);
        await check('invoices');
        await page.goto(`${env.t.url}/fakturaer/${deferrable().id}`);
        await check('invoice');
        await page.getByLabel('E-post for kvittering (valgfritt)').fill('ikke en adresse');
        await page.getByRole('button', { name: 'Be om utsettelse' }).click();
        await page.locator('.ds-error-summary').waitFor();
        await check('deferral-form-error');
        await page.goto(`${env.t.url}/min-side`);
        await check('my-page');
        await page.goto(`${env.t.url}/saker`);
        await check('cases');
        await page.goto(`${env.t.url}/finnes-ikke`);
        await check('not-found');
        expect(checked).toHaveLength(9);
        // The refused form (400) and the unknown page (404) are meant; nothing else may fail.
        const unexpected = problems.filter((p) => !/^40[04] |status of 40[04]/.test(p));
        expect(unexpected).toEqual([]);
        await context.close();
      },
    );
  });

  it('shows two municipalities of one installation each in its own colour and logo', async () => {
    const page = await browser.newPage({ locale: 'nb-NO' });
    const looks: { button: string; band: string; logo: string | null; name: string }[] = [];
    for (const origin of [env.t.url, env.t.url.replace('127.0.0.1', 'localhost')]) {
      await page.goto(`${origin}/`);
      looks.push(
        await page.evaluate(() => ({
          button: getComputedStyle(document.querySelector('main .ds-button')!).backgroundColor,
          band: getComputedStyle(document.querySelector('.site-header')!).borderTopColor,
          logo: document.querySelector('.brand-logo')?.getAttribute('src') ?? null,
          name: document.querySelector('.brand-municipality')!.textContent.trim(),
        })),
      );
      // The logo is served, not just named.
      await expect(
        page.evaluate(
          () => (document.querySelector('.brand-logo') as HTMLImageElement).naturalWidth,
        ),
      ).resolves.toBeGreaterThan(0);
    }
    expect(looks).toEqual([
      {
        button: rgb(NORDBY),
        band: rgb(NORDBY),
        logo: '/static/logos/asdal.svg',
        name: 'Nordby kommune',
      },
      {
        button: rgb(SORBY),
        band: rgb(SORBY),
        logo: '/static/logos/fjordvik.svg',
        name: 'Sørby kommune',
      },
    ]);
    await page.close();
  });

  it('shows a focused error summary linked to each field, and each field its own message', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${env.t.url}/fakturaer/${deferrable().id}`);
    await page.getByRole('group', { name: 'Ny forfallsdato' }).getByRole('radio').first().check();
    await page.getByLabel('E-post for kvittering (valgfritt)').fill('ikke en adresse');
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();

    // Focused on arrival, without JavaScript: a screen reader starts at the summary.
    // (autofocus runs at the page's next rendering opportunity, so wait for it, up to 5 s)
    await page
      .waitForFunction(() => document.activeElement?.classList.contains('ds-error-summary'), null, {
        timeout: 5000,
      })
      .catch(() => undefined);
    const focused = await page.evaluate(() => document.activeElement?.className);
    expect(focused).toContain('ds-error-summary');
    const links = await page
      .locator('.ds-error-summary a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['#email']);
    const email = page.locator('#email');
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).toEqual(['email-hint', 'email-error']);
    await expect(page.locator('#email-error').textContent()).resolves.toContain(
      'Skriv en gyldig e-postadresse',
    );
    await expect(email.inputValue()).resolves.toBe('ikke en adresse');
    await page.locator('.ds-error-summary a').click();
    expect(await page.evaluate(() => location.hash)).toBe('#email');
    await context.close();
  });

  it.each(SCHEMES)(
    'draws a focus ring of at least 3:1 against the page in the %s scheme',
    async (colorScheme) => {
      const page = await browser.newPage({ locale: 'nb-NO', colorScheme });
      await page.goto(`${env.t.url}/`);
      const rings: { name: string; ratio: number }[] = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        const ring = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          let bg = 'rgba(0, 0, 0, 0)';
          for (let n: HTMLElement | null = el.parentElement; n; n = n.parentElement) {
            bg = getComputedStyle(n).backgroundColor;
            if (!bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') break;
          }
          return {
            name: (el.textContent ?? '').trim().slice(0, 30),
            outline: style.outlineStyle !== 'none' ? style.outlineColor : '',
            width: parseFloat(style.outlineWidth),
            bg,
          };
        });
        if (ring.name === 'Hopp til hovedinnhold') continue; // the skip link is its own box
        expect([ring.name, ring.outline !== '', ring.width >= 2]).toEqual([ring.name, true, true]);
        rings.push({ name: ring.name, ratio: contrast(ring.outline, ring.bg) });
      }
      expect(rings.length).toBeGreaterThanOrEqual(4);
      for (const ring of rings) expect([ring.name, ring.ratio >= 3]).toEqual([ring.name, true]);
      await page.close();
    },
  );

  it.each(SCHEMES)(
    'rings a focused field at least 3:1 against the field and the page around it in the %s scheme',
    async (colorScheme) => {
      // The measure itself: a lone yellow ring (#ffbf47) on a white field is the faint one WCAG 2.2's
      // focus appearance warns of, and must not pass.
      expect(contrast(rgb('#ffbf47'), rgb('#ffffff'))).toBeLessThan(3);
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        locale: 'nb-NO',
        colorScheme,
      });
      const page = await context.newPage();
      const ringOf = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((el: HTMLElement) => {
            el.focus();
            const opaque = (n: Element | null): string => {
              for (; n; n = n.parentElement) {
                const bg = getComputedStyle(n).backgroundColor;
                if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
              }
              return 'rgb(255, 255, 255)';
            };
            // Designsystemet rings a radio button's or checkbox's whole row (its .ds-field).
            const ringed = el.matches('[type=radio],[type=checkbox]')
              ? (el.closest('.ds-field') as HTMLElement)
              : el;
            const style = getComputedStyle(ringed);
            return {
              focused: document.activeElement === el && el.matches(':focus-visible'),
              outline: style.outlineStyle === 'none' ? '' : style.outlineColor,
              width: parseFloat(style.outlineWidth),
              field: opaque(el),
              page: opaque(ringed.parentElement),
            };
          });
      const rings: Record<string, Awaited<ReturnType<typeof ringOf>>> = {};
      await page.goto(`${env.t.url}/auth/login`);
      await page.waitForURL(`${env.idporten.issuer}/**`);
      rings['test login: identity number'] = await ringOf('#pid');
      await page.locator('#pid').fill(KARI);
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.waitForURL(`${env.t.url}/fakturaer`);
      await page.goto(`${env.t.url}/fakturaer/${deferrable().id}`);
      rings['deferral form: new due date'] = await ringOf('[name="newDueDate"]');
      rings['deferral form: e-mail'] = await ringOf('#email');
      for (const [name, ring] of Object.entries(rings)) {
        expect([name, ring.focused, ring.outline !== '', ring.width >= 2]).toEqual([
          name,
          true,
          true,
          true,
        ]);
        const against = {
          field: Number(contrast(ring.outline, ring.field).toFixed(2)),
          page: Number(contrast(ring.outline, ring.page).toFixed(2)),
        };
        expect([name, against.field >= 3, against.page >= 3, against]).toEqual([
          name,
          true,
          true,
          against,
        ]);
      }
      await context.close();
    },
  );

  it('takes a resident from the front page to a decision with the keyboard alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    const tabTo = async (text: string | RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const label = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement & {
            labels?: NodeListOf<HTMLLabelElement>;
          };
          return (el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
        });
        if (typeof text === 'string' ? label === text : text.test(label)) return;
      }
      throw new Error(`never reached ${text} with Tab`);
    };
    await page.goto(`${env.t.url}/`);
    await tabTo('Logg inn med ID-porten');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await tabTo(/fødselsnummer/i);
    await page.keyboard.type(KARI);
    await tabTo('Logg inn');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.t.url}/fakturaer`);
    const invoice = deferrable();
    await tabTo(invoice.title);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.t.url}/fakturaer/${invoice.id}`);
    // The first of the dates (radio buttons, each labelled with its day, e.g. fredag 15. januar 2027).
    await tabTo(/^\p{L}+ \d{1,2}\. \p{L}+ \d{4}$/u);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo('Be om utsettelse');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/saker\/UTS-/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
      /Innvilget|manuell|Avslått/,
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});
