import type { Browser } from 'playwright-core';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Foundation pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    await createMunicipality(t.em(), { name: 'Nordby kommune', hostnames: ['127.0.0.1'] });
    t.refreshTenants();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['the landing page', '/'],
    ['the 404 page', '/finnes-ikke'],
  ])(
    '%s has no WCAG 2.1 A/AA violations, no CSP errors and fits a 360 px phone',
    async (_name, path) => {
      const page = await browser.newPage({
        viewport: { width: 360, height: 740 },
        locale: 'nb-NO',
      });
      const problems = watchForProblems(page);
      await page.goto(`${t.url}${path}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await contentWidth(page)).toBeLessThanOrEqual(360);
      expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
      await page.close();
    },
  );

  it('switches language with the links and keeps it, with JavaScript turned off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nb-NO' });
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nb');
    await page.getByRole('link', { name: 'Nynorsk' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'betalingsutsetjing',
    );
    await page.goto(`${t.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nn');
    await context.close();
  });

  it('reaches the main content with the skip link from the keyboard', async () => {
    const page = await browser.newPage({ locale: 'nb-NO' });
    await page.goto(`${t.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Hopp til hovedinnhold');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });
});
