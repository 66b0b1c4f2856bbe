import type { Browser } from 'playwright-core';
import { todayInNorway } from '../../src/shared/calendar-date';
import { axeViolations, contentWidth, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';

describe('Asking for a deferral in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    ledger = await seedLedgerFor(env.t.em(), municipality);
    env.t.refreshTenants();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('goes from the invoice to an instant decision and "Mine saker" without JavaScript, every page accessible', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/auth/login`);
    await page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first()
      .fill(KARI);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);

    const invoice = ledger
      .find((e) => e.pid === KARI)!
      .invoices.find((i) => i.status === 'UNPAID' && i.dueDate > todayInNorway())!;
    await page.goto(`${env.t.url}/fakturaer/${invoice.id}`);
    await page.getByLabel('Ny forfallsdato').selectOption({ index: 6 });
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    await page.waitForURL(/\/saker\/UTS-/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Innvilget',
    );
    await page.screenshot({ path: 'test/browser/screenshots/receipt.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no accessibility violations on the form, its error summary, the receipt and "Mine saker" at 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'nb-NO' });
    await page.goto(`${env.t.url}/auth/login`);
    await page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first()
      .fill(KARI);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);
    const open = ledger.find((e) => e.pid === KARI)!.invoices.filter((i) => i.status === 'UNPAID');
    for (const invoice of open) {
      await page.goto(`${env.t.url}/fakturaer/${invoice.id}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    }
    const target = open.find((i) => i.dueDate > todayInNorway());
    if (target) {
      await page.goto(`${env.t.url}/fakturaer/${target.id}`);
      if (await page.getByLabel('E-post for kvittering (valgfritt)').count()) {
        await page.getByLabel('E-post for kvittering (valgfritt)').fill('ikke en adresse');
        await page.getByRole('button', { name: 'Be om utsettelse' }).click();
        await expect(page.getByRole('alert').textContent()).resolves.toContain(
          'gyldig e-postadresse',
        );
        expect(await axeViolations(page)).toEqual([]);
      }
    }
    await page.goto(`${env.t.url}/saker`);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('.invoice-card a').first().click();
    expect(await axeViolations(page)).toEqual([]);
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    await page.close();
  });
});
