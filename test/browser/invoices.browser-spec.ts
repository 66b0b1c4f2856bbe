import type { Browser, Page } from 'playwright-core';
import type { Invoice } from '../../src/finance/invoice.model';
import {
  axeViolations,
  contentWidth,
  expectAccessible,
  launchBrowser,
  watchForProblems,
} from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { TEST_AGENCY } from '../support/invoice-factory';
import { KARI, OLA, seedLedgerFor } from '../support/ledger-fixtures';

describe('Invoice pages in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  const invoiceOf = (pid: string, match: (i: Invoice) => boolean) =>
    ledger.find((e) => e.pid === pid)!.invoices.find(match)!;

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

  /** A phone in bokmål, logged in as `pid`, on the page of the invoice that `match` picks. */
  async function invoicePage(pid: string, match: (i: Invoice) => boolean, javaScript = true) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
      javaScriptEnabled: javaScript,
    });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await logIn(page, pid);
    const invoice = invoiceOf(pid, match);
    await page.goto(`${env.t.url}/fakturaer/${invoice.id}`);
    return { page, problems, invoice, close: () => context.close() };
  }
  const deferralHeading = (page: Page) =>
    page.getByRole('heading', { name: 'Be om utsatt betalingsfrist' });
  /** What a plain selection of the element copies, as the browser serialises it. */
  const selectionOf = (page: Page, testId: string) =>
    page.getByTestId(testId).evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    });

  it('names the collection agency of an invoice in debt collection, and shows no KID, account or deferral heading', async () => {
    const { page, problems, close } = await invoicePage(OLA, (i) => i.sentToExternal);
    const notice = page.getByTestId('collection-notice');
    await expect(notice.textContent()).resolves.toContain(
      'Kravet er sendt til inkasso hos Testinkasso AS. Kontakt Testinkasso AS om betalingen',
    );
    await expect(
      notice.getByRole('link', { name: '+47 21 00 00 00' }).getAttribute('href'),
    ).resolves.toBe('tel:+4721000000');
    await expect(notice.getByRole('link').last().getAttribute('href')).resolves.toBe(
      TEST_AGENCY.url,
    );
    const facts = (await page.locator('main dl').first().textContent())!;
    expect(facts).not.toContain('KID');
    expect(facts).not.toContain('Kontonummer');
    expect(facts).not.toContain('Betales til');
    await expect(deferralHeading(page).count()).resolves.toBe(0);
    await expectAccessible(page, 'invoice in debt collection');
    await page.screenshot({
      path: 'test/browser/screenshots/invoice-collection.png',
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('shows a paid invoice without a deferral heading or payment details', async () => {
    const { page, problems, close } = await invoicePage(OLA, (i) => i.status === 'PAID');
    await expect(
      page.getByText('Fakturaen er betalt. Takk!', { exact: true }).count(),
    ).resolves.toBe(1);
    await expect(deferralHeading(page).count()).resolves.toBe(0);
    await expect(page.getByTestId('kid').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('says why an invoice deferred once cannot be deferred again, without the form’s heading', async () => {
    const { page, close } = await invoicePage(OLA, (i) => i.dueDate !== i.originalDueDate);
    await expect(deferralHeading(page).count()).resolves.toBe(0);
    await expect(page.getByTestId('deferral-closed').textContent()).resolves.toContain(
      'allerede utsatt',
    );
    await expect(page.getByTestId('kid').count()).resolves.toBe(1);
    await close();
  });

  it('keeps the KID and the account number on one line, grouped for reading, and copies digits only', async () => {
    const open = (i: Invoice) => i.status === 'UNPAID';
    const { page, problems, invoice, close } = await invoicePage(KARI, open, false);
    const kid = page.getByTestId('kid');
    const account = page.getByTestId('account-number');
    for (const number of [kid, account]) {
      const lines = await number.evaluate((element) => {
        const lineHeight = parseFloat(getComputedStyle(element).lineHeight);
        return Math.round(element.getBoundingClientRect().height / lineHeight);
      });
      expect(lines).toBe(1);
      const box = (await number.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    expect(await account.locator('span').allTextContents()).toEqual(
      invoice.accountNumber.replace(/^(\d{4})(\d{2})(\d{5})$/, '$1 $2 $3').split(' '),
    );
    expect((await kid.locator('span').allTextContents()).join('')).toBe(invoice.kid);
    expect(await kid.locator('span').count()).toBeGreaterThan(1);
    await expect(selectionOf(page, 'kid')).resolves.toBe(invoice.kid);
    await expect(selectionOf(page, 'account-number')).resolves.toBe(invoice.accountNumber);
    // A click selects the whole number, so it copies at once with Ctrl+C or the phone's menu.
    await kid.click();
    await expect(page.evaluate(() => getSelection()!.toString())).resolves.toBe(invoice.kid);
    // Without JavaScript there is no copy button to press in vain.
    await expect(page.getByRole('button', { name: /Kopier/ }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('copies the KID with its button, and says so', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.t.url });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await logIn(page, KARI);
    const invoice = invoiceOf(KARI, (i) => i.status === 'UNPAID');
    await page.goto(`${env.t.url}/fakturaer/${invoice.id}`);
    await page.getByRole('button', { name: 'Kopier KID' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(invoice.kid);
    await expect(page.getByTestId('kid-copied').textContent()).resolves.toBe('KID er kopiert');
    await page.getByRole('button', { name: 'Kopier kontonummer' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      invoice.accountNumber,
    );
    await expectAccessible(page, 'open invoice with copy buttons');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows every invoice line’s amount on a 360 px phone, with numbers as bokmål writes them', async () => {
    const { page, problems, invoice, close } = await invoicePage(KARI, (i) =>
      i.lines.some((l) => !Number.isInteger(l.quantity)),
    );
    const table = page.getByRole('table', { name: 'Fakturalinjer' });
    const rows = table.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(invoice.lines.length);
    for (let n = 0; n < invoice.lines.length; n++) {
      const amount = rows.nth(n).locator('td').last();
      const box = (await amount.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await expect(amount.getAttribute('data-label')).resolves.toBe('Beløp');
    }
    expect(await contentWidth(page)).toBeLessThanOrEqual(360);
    const text = (await table.textContent())!;
    expect(text).toContain('40,5 m³');
    expect(text).not.toContain('40.5');
    expect(text).toContain('Pris per enhet');
    await page.screenshot({ path: 'test/browser/screenshots/invoice-lines.png', fullPage: true });
    expect(problems).toEqual([]);
    await close();
  });
});
