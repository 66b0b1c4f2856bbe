import type { Browser, Page } from 'playwright-core';
import { syntheticPids } from '../../dev/synthetic-pids';
import { Session } from '../../src/auth/session/session.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { isBankingDay } from '../../src/shared/banking-days';
import { todayInNorway } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { formatIsoDate } from '../../src/web/format';
import {
  axeViolations,
  contentWidth,
  expectAccessible,
  launchBrowser,
  watchForProblems,
} from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';

describe('Asking for a deferral in Chromium', () => {
  let env: PortalWithIdporten;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  let municipality: Municipality;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    municipality = await createMunicipality(env.t.em(), {
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

  /** A resident of the test's own with an open invoice, logged in on a new 360 px phone. */
  async function residentOnPhone(seed: number, javaScriptEnabled = true) {
    const [pid] = syntheticPids(1, seededRandom(seed));
    const [entry] = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      [{ pid }],
      `b${seed}`,
    );
    const invoice = entry.invoices.find((i) => i.status === 'UNPAID')!;
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
      javaScriptEnabled,
    });
    const page = await context.newPage();
    await logIn(page, pid);
    return { pid, invoice, context, page, invoiceUrl: `${env.t.url}/fakturaer/${invoice.id}` };
  }

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

  const dates = (page: Page) =>
    page.getByRole('group', { name: 'Ny forfallsdato' }).getByRole('radio');

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
    await dates(page).nth(6).check();
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

  it('sums up a refused form at the top of the page, focused, "Feil:" in the title, each link taking focus to its field (360 px, no JavaScript)', async () => {
    const { context, page, invoiceUrl } = await residentOnPhone(41, false);
    await page.goto(invoiceUrl);
    await page.getByLabel('E-post for kvittering (valgfritt)').fill('ikke en adresse');
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await page.title()).toMatch(/^Feil: Faktura – /);
    // Focused on arrival without JavaScript (autofocus runs at the next rendering opportunity).
    await page
      .waitForFunction(() => document.activeElement?.classList.contains('ds-error-summary'), null, {
        timeout: 5000,
      })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'error-summary',
    );
    // At the top: above the page's heading and whole on the first screen of a phone.
    const box = (await summary.boundingBox())!;
    expect(box.y).toBeLessThan((await page.getByRole('heading', { level: 1 }).boundingBox())!.y);
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    await expect(summary.getByRole('heading').textContent()).resolves.toBe(
      'For å gå videre må du rette opp dette:',
    );
    const links = summary.getByRole('link');
    await expect(links.allTextContents()).resolves.toEqual([
      'Velg en ny forfallsdato.',
      'Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no, eller la feltet stå tomt.',
    ]);
    // Each field says its own problem beside it.
    await expect(page.locator('#newDueDate-error').textContent()).resolves.toBe(
      'Velg en ny forfallsdato.',
    );
    await expect(page.locator('#email-error').textContent()).resolves.toContain(
      'Skriv en gyldig e-postadresse',
    );
    await expect(page.getByLabel('E-post for kvittering (valgfritt)').inputValue()).resolves.toBe(
      'ikke en adresse',
    );
    // A link takes the focus to its field: the first date, then the e-mail address.
    await links.nth(0).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('newDueDate');
    await links.nth(1).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await context.close();
  }, 120_000);

  it('offers banking days only, no Sunday or holiday, each date and its distance whole on a 360 px screen', async () => {
    const { context, page, invoiceUrl } = await residentOnPhone(43);
    await page.goto(invoiceUrl);
    const values = await dates(page).evaluateAll((inputs) =>
      inputs.map((input) => (input as HTMLInputElement).value),
    );
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((date) => !isBankingDay(date))).toEqual([]);
    expect(values).toEqual([...values].sort());
    const labels = await page.locator('.date-options label').allTextContents();
    expect(labels.filter((label) => /^(lørdag|søndag)/.test(label))).toEqual([]);
    const distances = await page
      .locator('.date-options [data-field="description"]')
      .allTextContents();
    expect(distances).toHaveLength(values.length);
    for (const text of distances)
      expect(text).toMatch(/^(1 dag|([2-9]|[1-9]\d+) dager) etter forfallsdatoen$/);
    // Nothing cut: every date and distance fits its own box and the screen.
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.date-options :is(label, [data-field="description"])')]
        .filter((el) => {
          const rect = el.getBoundingClientRect();
          return el.scrollWidth > el.clientWidth + 1 || rect.left < 0 || rect.right > innerWidth;
        })
        .map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    await expectAccessible(page, 'invoice with the dates to choose from');
    // Refused (no date chosen): the summary at the top and the list with its message.
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expectAccessible(page, 'refused deferral form');
    await context.close();
  }, 120_000);

  it('shows the request already made, with a notice that the new choice is not registered, when a second tab sends another date', async () => {
    const { context, page, invoiceUrl } = await residentOnPhone(47);
    await page.goto(invoiceUrl);
    const secondTab = await context.newPage();
    await secondTab.goto(invoiceUrl);
    await dates(page).nth(1).check();
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    await page.waitForURL(/\/saker\/UTS-[^?]+$/);
    const casePath = new URL(page.url()).pathname;

    const other = await dates(secondTab).nth(4).getAttribute('value');
    await dates(secondTab).nth(4).check();
    await secondTab.getByRole('button', { name: 'Be om utsettelse' }).click();
    await secondTab.waitForURL(/\?allerede=1/);
    expect(new URL(secondTab.url()).pathname).toBe(casePath);
    const notice = secondTab.getByTestId('already-asked');
    await expect(notice.textContent()).resolves.toMatch(
      /Du har allerede bedt om utsettelse for denne fakturaen, .+\. Her er svaret\./,
    );
    await expect(notice.textContent()).resolves.toContain(
      `Det nye valget ditt, ${formatIsoDate(other!, 'nb')}, er ikke registrert.`,
    );
    const box = (await notice.boundingBox())!;
    expect(box.y).toBeLessThan(
      (await secondTab.getByRole('heading', { level: 1 }).boundingBox())!.y,
    );
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    await expectAccessible(secondTab, 'case with the notice of a second choice');
    await context.close();
  }, 120_000);

  it('says the session ended when the form is sent after it, registers nothing, and "Logg inn igjen" comes back to the invoice', async () => {
    const { pid, invoice, context, page, invoiceUrl } = await residentOnPhone(53);
    await page.goto(invoiceUrl);
    await dates(page).nth(2).check();
    // Idle past the limit: the session is over on the server.
    const cookie = (await context.cookies()).find((c) => c.name === 'mf.sid')!;
    const sessionId = decodeURIComponent(cookie.value).slice(2).split('.')[0];
    await env.t
      .em()
      .nativeUpdate(Session, { id: sessionId }, { expiresAt: new Date(Date.now() - 1000) });
    const [answer] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST'),
      page.getByRole('button', { name: 'Be om utsettelse' }).click(),
    ]);
    expect(answer.status()).toBe(401);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Du ble logget ut',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('ingenting er registrert');
    await expectAccessible(page, 'session ended');
    expect(await env.t.em().count(DeferralRequest, { invoiceId: invoice.id })).toBe(0);

    // Through ID-porten (straight back while its own session lasts) to the invoice.
    await page.getByRole('link', { name: 'Logg inn igjen' }).click();
    await page.waitForURL(
      (url) => url.href.startsWith(env.idporten.issuer) || url.href === invoiceUrl,
    );
    if (page.url() !== invoiceUrl) {
      await page
        .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
        .first()
        .fill(pid);
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.waitForURL(invoiceUrl);
    }
    await expect(dates(page).count()).resolves.toBeGreaterThan(10);
    await context.close();
  }, 120_000);
});
