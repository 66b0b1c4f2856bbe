import type { Browser, Page } from 'playwright-core';
import { todayInNorway } from '../../src/shared/calendar-date';
import { expectAccessible, launchBrowser, watchForProblems } from '../support/browser';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { syntheticPid } from '../support/resident-factory';

/**
 * What a resident sees of issue 16's small things (item 9, and item 1's case page), in bokmål on
 * a 360 px phone: the menu marking where they are, the receipt saying when and to which address,
 * a case waiting for a person, an empty list that explains itself, and a form too large answered
 * in their language under their municipality's header. Axe at 360 and 1280 px in both schemes.
 */
describe('Residents’ pages in Chromium (issue 16)', () => {
  let env: PortalWithIdporten;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  const today = todayInNorway();

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

  const invoicesOf = (pid: string) => ledger.find((e) => e.pid === pid)!.invoices;
  const phone = () => browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'nb-NO' });

  async function logIn(page: Page, pid: string) {
    await page.goto(`${env.t.url}/auth/login`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.locator('#pid').fill(pid);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);
  }

  /** Asks for the first date the form offers, with or without an e-mail address. */
  async function ask(page: Page, invoiceId: string, email?: string) {
    await page.goto(`${env.t.url}/fakturaer/${invoiceId}`);
    const date = page.locator('[name="newDueDate"]').first();
    if ((await date.evaluate((el) => el.tagName)) === 'INPUT') await date.check();
    if (email) await page.getByLabel('E-post for kvittering (valgfritt)').fill(email);
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    await page.waitForURL(/\/saker\/UTS-/);
  }

  /** The fact list on the case page, as term → description. */
  const facts = (page: Page) =>
    page
      .locator('dl.facts > div')
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((row) => [
            row.querySelector('dt')!.textContent.trim(),
            row.querySelector('dd')!.textContent.trim(),
          ]),
        ),
      );

  it('marks the page the resident is on in the menu, visibly, on each of the three pages', async () => {
    const page = await phone();
    await logIn(page, KARI);
    for (const [path, name] of [
      ['/fakturaer', 'Mine fakturaer'],
      ['/saker', 'Mine saker'],
      ['/min-side', 'Min side'],
    ]) {
      await page.goto(`${env.t.url}${path}`);
      const current = page.locator('.main-nav a[aria-current="page"]');
      await expect(current.textContent()).resolves.toBe(name);
      const weights = await page
        .locator('.main-nav .nav-list a')
        .evaluateAll((links) =>
          links.map((a) => [a.getAttribute('aria-current'), getComputedStyle(a).fontWeight]),
        );
      // Not only for screen readers: the current link is set apart by its weight.
      const [mark] = weights.filter(([current]) => current === 'page');
      for (const [current, weight] of weights)
        if (current === null) expect(Number(weight)).toBeLessThan(Number(mark[1]));
    }
    await page.goto(`${env.t.url}/fakturaer/${invoicesOf(KARI)[0].id}`);
    await expect(page.locator('.main-nav a[aria-current="true"]').textContent()).resolves.toBe(
      'Mine fakturaer',
    );
    await expectAccessible(page, 'invoice with the menu marking its section');
    await page.close();
  });

  it('shows on the receipt when the case was decided and where the receipt by e-mail went', async () => {
    const page = await phone();
    const problems = watchForProblems(page);
    await logIn(page, KARI);
    const invoice = invoicesOf(KARI).find((i) => i.status === 'UNPAID' && i.dueDate > today)!;
    await ask(page, invoice.id, 'kari@example.org');
    const shown = await facts(page);
    expect(shown['Saksnummer']).toMatch(/^UTS-/);
    expect(shown['Avgjort']).toMatch(/^\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}:\d{2}$/);
    // This portal has no mail server: the receipt says so rather than promising a letter.
    expect(shown['Kvittering på e-post']).toBe(
      'Ikke sendt til kari@example.org: kommunen sender ikke e-post fra tjenesten nå. Ta vare på saksnummeret.',
    );
    await expectAccessible(page, 'receipt with decision time and e-mail');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('never says "Avgjort" of a case waiting for a person, nor that a passed due date applies', async () => {
    const page = await phone();
    await logIn(page, INGRID);
    const overdue = invoicesOf(INGRID).find((i) => i.status === 'UNPAID' && i.dueDate < today)!;
    await ask(page, overdue.id);
    const shown = await facts(page);
    expect(shown['Status']).toBe('Til behandling hos saksbehandler');
    expect(shown['Avgjort']).toBeUndefined();
    expect(shown['Kvittering på e-post']).toBe('Ingen adresse oppgitt');
    const text = (await page.locator('main').textContent())!;
    expect(text).not.toContain('Avgjort');
    expect(text).not.toMatch(/gjelder den opprinnelige forfallsdatoen/);
    await expectAccessible(page, 'case waiting for an officer');
    await page.close();
  });

  it('tells a resident with no invoices so, in one sentence naming the municipality', async () => {
    const page = await phone();
    await logIn(page, syntheticPid(9_876));
    await expect(page.getByTestId('no-invoices').textContent()).resolves.toBe(
      'Vi fant ingen fakturaer fra Nordby kommune til deg. Når kommunen sender deg en faktura, ser du den her.',
    );
    // No empty lists under their headings: the sentence is all there is.
    await expect(page.locator('main h2').count()).resolves.toBe(0);
    await expectAccessible(page, 'invoices, none');
    await page.close();
  });

  it('answers a form too large in nynorsk under the municipality’s header, with the language switch', async () => {
    const page = await browser.newPage({
      viewport: { width: 360, height: 740 },
      locale: 'nn-NO',
      extraHTTPHeaders: { 'Accept-Language': 'nn' },
    });
    await page.goto(`${env.t.url}/`);
    // A form no page offers: 40 kB in one field, past the residents' 32 kB limit.
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/saker/UTS-AAAA-AAAA/svar';
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = 'answer';
      field.value = 'x'.repeat(40 * 1024);
      form.append(field);
      document.body.append(form);
      form.submit();
    });
    await page.waitForURL(`${env.t.url}/saker/UTS-AAAA-AAAA/svar`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'For mykje data',
    );
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nn');
    await expect(page.locator('.brand-municipality').textContent()).resolves.toBe('Nordby kommune');
    await expect(page.getByRole('link', { name: 'Bokmål' }).count()).resolves.toBe(1);
    await expectAccessible(page, '413 page');
    await page.close();
  });
});
