import type { Browser } from 'playwright-core';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';

describe('Logging in and out in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    await createMunicipality(env.t.em(), { name: 'Nordby kommune', hostnames: ['127.0.0.1'] });
    env.t.refreshTenants();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('goes from the front page through the test login to "Min side" and out again, every page accessible', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/`);
    await page.getByRole('link', { name: 'Logg inn med ID-porten' }).click();

    await page.waitForURL(`${env.idporten.issuer}/**`);
    expect(await axeViolations(page)).toEqual([]);
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    await page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first()
      .fill('12838512311');
    await page.getByRole('button', { name: 'Logg inn' }).click();

    await page.waitForURL(`${env.t.url}/fakturaer`);
    await page.getByRole('link', { name: 'Min side', exact: true }).click();
    await page.waitForURL(`${env.t.url}/min-side`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Min side');
    expect(await page.getByTestId('masked-pid').textContent()).toBe('128385*****');
    expect(await axeViolations(page)).toEqual([]);
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);

    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.waitForURL(`${env.t.url}/auth/logged-out**`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Du er logget ut',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps a typed identity number and explains the error when it is not valid', async () => {
    const page = await browser.newPage({ locale: 'nb-NO' });
    await page.goto(`${env.t.url}/auth/login`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    const field = page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first();
    await field.fill('12838512312');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await expect(field.inputValue()).resolves.toBe('12838512312');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
