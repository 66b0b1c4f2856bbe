import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { statisticsCase, type CaseSpec } from '../../src/deferrals/statistics/case.test-factory';
import { lastOsloWeeks } from '../../src/shared/oslo-weeks';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

const HOUR = 3_600_000;
const SCREENSHOTS = join(__dirname, 'screenshots');

/** WCAG's contrast ratio of two `rgb(…)` colours as getComputedStyle gives them. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The dashboard in Chromium: axe at 360 and 1280 px in both colour schemes, nothing scrolls
 * sideways, the stylesheet paints the charts (no CSP refusal), and the charts' text and every
 * series' colour keep 3:1 against the page in light and dark.
 */
describe('The dashboard in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;

  beforeAll(async () => {
    env = await startPortalWithStaff();
    const weeks = lastOsloWeeks(12);
    const em = env.t.em();
    const at = (w: number, hours: number) => new Date(weeks[w].start.getTime() + hours * HOUR);
    const specs: CaseSpec[] = [];
    for (let w = 0; w < 12; w++) {
      for (let i = 0; i < 3 + (w % 4); i++)
        specs.push({
          municipalityId: env.a.id,
          createdAt: at(w, 10 + i),
          decided: 'automatically',
          outcome: i % 3 === 0 ? 'rejected' : 'approved',
        });
      specs.push({
        municipalityId: env.a.id,
        createdAt: at(w, 30),
        decided: 'by-officer',
        outcome: w % 2 ? 'approved' : 'rejected',
        sentToOfficerAt: at(w, 30),
        decidedAt: at(w, 30 + w),
      });
    }
    specs.push({
      municipalityId: env.a.id,
      createdAt: new Date(Date.now() - 2 * HOUR),
      decided: 'not-yet',
      sentToOfficerAt: new Date(Date.now() - 2 * HOUR),
    });
    for (const spec of specs) statisticsCase(em, spec);
    await em.flush();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  async function staffLogin(page: Page, path: string, name: string): Promise<void> {
    await page.goto(`${env.t.url}${path}`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel(name).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}${path}`);
  }

  it('is accessible and paints its charts with enough contrast in both schemes', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nb-NO',
    });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await staffLogin(page, '/saksbehandler/oversikt', 'Siri Saksbehandler');
    await page.waitForLoadState('load');
    mkdirSync(SCREENSHOTS, { recursive: true });

    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const what = { width, colorScheme };
        expect({ ...what, violations: await axeViolations(page) }).toEqual({
          ...what,
          violations: [],
        });
        const paint = await page.evaluate(() => {
          const background = getComputedStyle(document.body).backgroundColor;
          const fill = (selector: string) => {
            const element = document.querySelector(selector);
            return element ? getComputedStyle(element).fill : null;
          };
          const box = document
            .querySelector('[data-testid="chart-weekly"] svg')!
            .getBoundingClientRect();
          return {
            background,
            text: fill('#chart-weekly-title ~ text.chart-text, .chart-text'),
            success: fill('.chart-fill-success'),
            danger: fill('.chart-fill-danger'),
            info: fill('.chart-fill-info'),
            chartWidth: box.width,
          };
        });
        for (const key of ['text', 'success', 'danger', 'info'] as const) {
          expect({
            ...what,
            key,
            painted: paint[key] !== null && paint[key] !== 'rgb(0, 0, 0)',
          }).toEqual({
            ...what,
            key,
            painted: true,
          });
          expect({ ...what, key, atLeast3: contrast(paint[key]!, paint.background) >= 3 }).toEqual({
            ...what,
            key,
            atLeast3: true,
          });
        }
        // Readable on a phone: never narrower than 36rem; its box scrolls instead of the page.
        expect(paint.chartWidth).toBeGreaterThanOrEqual(576);
        expect({ ...what, fits: (await contentWidth(page)) <= width }).toEqual({
          ...what,
          fits: true,
        });
        await page.screenshot({
          path: join(SCREENSHOTS, `overview-${width}-${colorScheme}.png`),
          fullPage: true,
        });
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
