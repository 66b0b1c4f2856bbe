import type { Browser, Page } from 'playwright-core';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { OLA, seedLedgerFor } from '../support/ledger-fixtures';

describe('Invoice pages in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    await seedLedgerFor(env.t.em(), municipality);
    env.t.refreshTenants();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  async function logIn(page: Page, pid: string) {
    await page.goto(`${env.t.url}/auth/login`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first()
      .fill(pid);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);
  }

  it('shows "Mine fakturaer" and an invoice on a 360 px phone with no accessibility violations', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    await logIn(page, OLA);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Mine fakturaer',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: 'test/browser/screenshots/invoices.png', fullPage: true });

    await page.locator('.invoice-card a').first().click();
    await page.waitForURL(/\/fakturaer\/.+/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: 'test/browser/screenshots/invoice.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
