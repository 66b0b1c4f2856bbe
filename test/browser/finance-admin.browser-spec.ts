import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, watchForProblems } from '../support/browser';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { statisticsCase } from '../../src/deferrals/statistics/case.test-factory';

/**
 * The operators' finance-system page in Chromium: reached from the menu, a refusal, a test; and
 * their retention page: a refusal and a shorter period confirmed.
 */
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

  /** A phone-sized page with Ola Drift (operator) signed in on the staff front page. */
  async function olaSignedIn() {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, locale: 'nb-NO' });
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/saksbehandler`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel('Ola Drift').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler`);
    return { page, problems };
  }

  it('lets Ola Drift see the settings, refuses a bad base URL beside its field, and tests the connection', async () => {
    const { page, problems } = await olaSignedIn();

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

  it('lets Ola Drift shorten the retention period, with a refusal and a confirmation on the way', async () => {
    // Two closed requests decided six years ago: the default five years removes them at the next
    // run already, ten years keeps them.
    const em = env.t.em();
    const sixYearsAgo = new Date(Date.now() - 6 * 366 * 86_400_000);
    for (let i = 0; i < 2; i++)
      statisticsCase(em, {
        municipalityId: env.a.id,
        createdAt: sixYearsAgo,
        decided: 'automatically',
        outcome: 'rejected',
      });
    await em.flush();
    const { page, problems } = await olaSignedIn();

    await page.getByRole('link', { name: 'Oppbevaringstid', exact: true }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler/drift/oppbevaring`);
    await expect(page.getByTestId('period').textContent()).resolves.toContain(
      '5 år (standard for installasjonen',
    );
    await expect(page.getByTestId('due').textContent()).resolves.toBe('2');
    await expectAccessible(page, 'the retention page');

    const field = page.getByLabel('Oppbevaringstid i hele år');
    await field.fill('ti');
    await page.getByRole('button', { name: 'Lagre oppbevaringstiden' }).click();
    await expect(page.locator('#nordby-years-error').textContent()).resolves.toContain(
      'helt antall år fra 1 til 100',
    );
    await expect(field.inputValue()).resolves.toBe('ti');
    await expectAccessible(page, 'a refused period');

    await field.fill('10');
    await page.getByRole('button', { name: 'Lagre oppbevaringstiden' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler/drift/oppbevaring?lagret=nordby`);
    await expect(page.getByTestId('due').textContent()).resolves.toBe('0');

    await field.fill('4');
    await page.getByRole('button', { name: 'Lagre oppbevaringstiden' }).click();
    await expect(page.getByTestId('confirm').textContent()).resolves.toContain(
      'personopplysningene i 2 avsluttede saker slettet',
    );
    await expectAccessible(page, 'the confirmation');
    await page.getByLabel('Jeg bekrefter at personopplysningene i 2 saker skal slettes').check();
    await page.getByRole('button', { name: 'Lagre oppbevaringstiden' }).click();
    await page.waitForURL(`${env.t.url}/saksbehandler/drift/oppbevaring?lagret=nordby`);
    await expect(page.getByTestId('period').textContent()).resolves.toContain(
      '4 år (kommunens valg)',
    );
    await expectAccessible(page, 'a saved period');
    // The refused saves answer 400, as they should.
    expect(problems.filter((p) => !/oppbevaring\/nordby$|status of 400/.test(p))).toEqual([]);
    await page.close();
  });
});
