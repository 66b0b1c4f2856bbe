import { importIntoLedger } from '../../src/finance/ledger/ledger-import';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { invoiceFactory, TEST_ACCOUNT_NUMBER } from '../support/invoice-factory';
import { INGRID, KARI, OLA, seedLedgerFor } from '../support/ledger-fixtures';
import { residentWithHistory, syntheticPid } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';

describe('Invoice pages (e2e)', () => {
  let env: PortalWithIdporten;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    ledger = await seedLedgerFor(env.t.em(), municipality);
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  const invoicesOf = (pid: string) => ledger.find((e) => e.pid === pid)!.invoices;

  it('lists open invoices first, overdue marked, with KID and account number, then paid ones', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const html = await (await kari.get('/fakturaer')).text();
    const openAt = html.indexOf('id="open-heading"');
    const paidAt = html.indexOf('id="paid-heading"');
    expect(openAt).toBeGreaterThan(0);
    for (const invoice of invoicesOf(KARI)) {
      const at = html.indexOf(`/fakturaer/${invoice.id}"`);
      expect(at).toBeGreaterThan(0);
      if (invoice.status === 'PAID') expect(at).toBeGreaterThan(paidAt);
      else {
        expect(at).toBeGreaterThan(openAt);
        expect(at).toBeLessThan(paidAt);
        expect(html).toContain(invoice.kid);
      }
    }
    // Grouped for reading, each group a box of its own: a copy gives the digits alone.
    expect(html).toContain('<span>1503</span><span>24</span><span>12995</span>');
    expect(html).toContain(`data-copy="${TEST_ACCOUNT_NUMBER}"`);
    expect(html).not.toContain('1503.24.12995');
  });

  it('sends a page whole, its length counted in bytes (æ, ø, å are two each), and HEAD the same headers without a body', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const res = await kari.get('/fakturaer');
    const html = await res.text();
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/[æøå]/);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    expect(Buffer.byteLength(html)).toBeGreaterThan(html.length);

    const head = await kari.head('/fakturaer');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(html.length);
    expect(await head.text()).toBe('');
  });

  it('names the collection agency on the list instead of the municipality’s KID and account', async () => {
    const ola = await loginAs(env.t.url, OLA);
    const html = await (await ola.get('/fakturaer')).text();
    const collected = invoicesOf(OLA).find((i) => i.sentToExternal)!;
    const card = html.slice(html.indexOf(`/fakturaer/${collected.id}"`));
    const cardHtml = card.slice(0, card.indexOf('</li>'));
    expect(cardHtml).toContain('Inkassoselskap');
    expect(cardHtml).toContain('Testinkasso AS');
    expect(cardHtml).not.toContain(collected.kid);
    expect(cardHtml).not.toContain('Kontonummer');
  });

  it('marks an overdue invoice', async () => {
    const ingrid = await loginAs(env.t.url, INGRID);
    const html = await (await ingrid.get('/fakturaer')).text();
    expect(html).toMatch(/Forfalt (i går|for \d+ dager siden)/);
  });

  it('shows an invoice with its lines, payment details and the history of its due date', async () => {
    const ola = await loginAs(env.t.url, OLA);
    const deferred = invoicesOf(OLA).find((i) => i.dueDate !== i.originalDueDate)!;
    const html = await (await ola.get(`/fakturaer/${deferred.id}`)).text();
    expect(html).toContain(deferred.title);
    expect(html).toContain(deferred.kid);
    for (const line of deferred.lines) expect(html).toContain(line.description);
    expect(html).toContain('Opprinnelig forfallsdato');
    expect(html).toContain('Forfallsdatoen er utsatt');
  });

  it('says why an invoice deferred once cannot be deferred again, with no heading inviting a request, also when a request is posted', async () => {
    const ola = await loginAs(env.t.url, OLA);
    const deferred = invoicesOf(OLA).find((i) => i.dueDate !== i.originalDueDate)!;
    const page = await (await ola.get(`/fakturaer/${deferred.id}`)).text();
    const refused = await ola.postForm(`/fakturaer/${deferred.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(page),
      newDueDate: '2099-01-01',
    });
    expect(refused.status).toBe(409);
    for (const html of [page, await refused.text()]) {
      expect(html).toContain('Forfallsdatoen er allerede utsatt én gang');
      expect(html).not.toContain('Be om utsatt betalingsfrist');
      expect(html).not.toContain('name="newDueDate"');
    }
  });

  it('writes the invoice lines’ numbers as the chosen language does', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const open = invoicesOf(KARI).find((i) => i.lines.some((l) => l.quantity === 40.5))!;
    const lines = async () => {
      const html = await (await kari.get(`/fakturaer/${open.id}`)).text();
      return html.slice(html.indexOf('id="lines-heading"'));
    };
    expect(await lines()).toContain('40,5 m³');
    await kari.get('/language/nn?return=%2Ffakturaer');
    expect(await lines()).toContain('40,5 m³');
    await kari.get('/language/en?return=%2Ffakturaer');
    const en = await lines();
    expect(en).toContain('40.5 m³');
    expect(en).toMatch(/NOK\s19\.68/);
    expect(en).toContain('0%');
  });

  it("answers 404 for another resident's invoice, exactly as for one that does not exist", async () => {
    const kari = await loginAs(env.t.url, KARI);
    const olas = invoicesOf(OLA)[0];
    const other = await kari.get(`/fakturaer/${olas.id}`);
    const missing = await kari.get('/fakturaer/no-such-invoice');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (s: string, id: string) =>
      s
        .replace(/Referanse: [\w-]+/, '')
        .replace(/name="_csrf" value="[^"]+"/, '')
        .replaceAll(encodeURIComponent(id), 'ID');
    expect(strip(await other.text(), olas.id)).toBe(strip(await missing.text(), 'no-such-invoice'));
  });

  it("never lets list parameters or a KID reach another resident's invoices", async () => {
    const kari = await loginAs(env.t.url, KARI);
    const olas = invoicesOf(OLA)[0];
    for (const path of [
      `/fakturaer?pid=${OLA}`,
      `/fakturaer?kid=${olas.kid}`,
      `/fakturaer/${olas.kid}`,
    ]) {
      const res = await kari.get(path);
      const html = await res.text();
      expect(html).not.toContain(olas.id);
      expect(html).not.toContain(olas.invoiceNumber);
    }
  });

  it('requires login', async () => {
    const res = await fetch(`${env.t.url}/fakturaer`, {
      redirect: 'manual',
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(303);
  });
});

describe('An invoice in debt collection whose agency the finance system does not name (e2e)', () => {
  let env: PortalWithIdporten;
  const pid = syntheticPid(909);
  const collected = invoiceFactory({
    issuedDay: -130,
    story: [
      { type: 'REMINDER', day: -96 },
      { type: 'COLLECTION', day: -60, agency: null },
    ],
  });

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    const municipality = await createMunicipality(env.t.em(), { hostnames: ['127.0.0.1'] });
    await importIntoLedger(env.t.em(), municipality.id, [
      residentWithHistory({ pid, invoices: [collected] }),
    ]);
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  it('says the agency is not known, invents none, and offers no payment to the municipality', async () => {
    const resident = await loginAs(env.t.url, pid);
    const html = await (await resident.get(`/fakturaer/${collected.invoice.id}`)).text();
    expect(html).toContain('Vi har ikke fått vite hvilket inkassoselskap som har kravet');
    expect(html).not.toContain('inkasso hos');
    expect(html).not.toContain('Testinkasso');
    expect(html).not.toContain(collected.invoice.kid);
    expect(html).not.toContain(TEST_ACCOUNT_NUMBER);
    expect(html).not.toContain('Be om utsatt betalingsfrist');
    const list = await (await resident.get('/fakturaer')).text();
    expect(list).toContain('Ikke oppgitt');
    expect(list).not.toContain(collected.invoice.kid);
  });
});

describe('Invoice pages when the finance system is down (e2e)', () => {
  let env: PortalWithIdporten;

  beforeAll(async () => {
    env = await startPortalWithIdporten({ FINANCE_API_KEY: 'a-test-api-key-of-some-length' });
    await createMunicipality(env.t.em(), {
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'http', financeBaseUrl: 'http://127.0.0.1:9' },
    });
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  it('shows a calm page that says so and when to try again, not a 500', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const res = await kari.get('/fakturaer');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('300');
    const html = await res.text();
    expect(html).toContain('Fakturaene er ikke tilgjengelige akkurat nå');
    expect(html).toContain('Prøv igjen om 5 minutter');
    expect((await env.t.em().count(Municipality, {})) > 0).toBe(true);
  });
});
