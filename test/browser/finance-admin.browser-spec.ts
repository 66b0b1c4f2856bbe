import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, watchForProblems } from '../support/browser';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

/** The operators' finance-system page in Chromium: reached from the menu, a refusal, a test. */
describe('Finance-system settings in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;

  beforeAll(async () => {
    env = await startPortalWithStaff();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('lets Ola Drift see the settings, refuses a bad base URL beside its field, and tests the connection', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/saksbehandler`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel('Ola Drift').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler`);

    const menu = page.getByRole('navigation', { name: 'Meny for saksbehandlere' });
    await menu.getByRole('link', { name: 'Økonomisystem' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler/drift/okonomisystem`);
    await expect(page.getByTestId('adapter').textContent()).resolves.toContain('Innebygd');
    await expectAccessible(page, 'the settings');

    await page.getByLabel('Økonomisystem', { exact: true }).selectOption('http');
    await page.getByLabel('Base-URL').fill('http://finance.example/api?x=1');
    await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await expect(page.locator('#nordby-baseUrl-error').textContent()).resolves.toContain(
      'settings.financeBaseUrl must be',
    );
    await expect(page.getByLabel('Base-URL').inputValue()).resolves.toBe(
      'http://finance.example/api?x=1',
    );
    await expectAccessible(page, 'a refused base URL');

    await page.getByLabel('Fødselsnummer til en testperson').fill('01818012337');
    await page.getByRole('button', { name: 'Test tilkoblingen' }).click();
    await expect(page.getByTestId('test-result').textContent()).resolves.toContain(
      'Tilkoblingen virker: 0 fakturaer for 018180*****.',
    );
    await expectAccessible(page, 'a connection test');
    // The refused save answers 400, as it should.
    expect(problems.filter((p) => !/okonomisystem\/nordby$|status of 400/.test(p))).toEqual([]);
    await page.close();
  });
});
