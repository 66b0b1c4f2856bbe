import { todayInNorway } from '../../src/shared/calendar-date';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { syntheticPid } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

/** The small things of issue 16 (item 9) a resident meets on every visit. */
describe('Residents’ pages (e2e)', () => {
  let env: PortalWithIdporten;
  let smtp: SmtpSink;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithIdporten({ SMTP_URL: smtp.url, WRITEBACK_POLL_MS: '60000' });
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    ledger = await seedLedgerFor(env.t.em(), municipality);
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env.close();
    await smtp.close();
  });

  const invoicesOf = (pid: string) => ledger.find((e) => e.pid === pid)!.invoices;
  /** The main menu's links, each with its aria-current (or null). */
  const menu = (html: string) => {
    const nav = /<nav class="main-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    return [...nav.matchAll(/<a [^>]*href="([^"]+)"[^>]*>/g)].map((m) => [
      m[1],
      /aria-current="([^"]+)"/.exec(m[0])?.[1] ?? null,
    ]);
  };

  async function ask(agent: CookieAgent, invoiceId: string, email?: string) {
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    // The dates offered (a list or radio buttons): whatever the form looks like, their values.
    const options = [...html.matchAll(/value="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
      CookieAgent.csrfToken(html);
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: csrf,
      newDueDate: options[3],
      ...(email ? { email } : {}),
    });
    expect(res.status).toBe(303);
    return res.headers.get('location')!;
  }

  it('marks the page the resident is on in the main menu, and its section on the pages below it', async () => {
    const kari = await loginAs(env.t.url, KARI);
    expect(menu(await (await kari.get('/fakturaer')).text())).toEqual([
      ['/fakturaer', 'page'],
      ['/saker', null],
      ['/min-side', null],
    ]);
    expect(menu(await (await kari.get('/min-side')).text())).toEqual([
      ['/fakturaer', null],
      ['/saker', null],
      ['/min-side', 'page'],
    ]);
    const invoice = invoicesOf(KARI)[0];
    expect(menu(await (await kari.get(`/fakturaer/${invoice.id}`)).text())).toEqual([
      ['/fakturaer', 'true'],
      ['/saker', null],
      ['/min-side', null],
    ]);
  });

  it('tells a resident the municipality has no invoices for, rather than showing empty lists', async () => {
    const stranger = await loginAs(env.t.url, syntheticPid(9_999));
    const html = await (await stranger.get('/fakturaer')).text();
    expect(html).toContain('Vi fant ingen fakturaer fra Nordby kommune til deg.');
    expect(html).not.toContain('Du har ingen ubetalte fakturaer.');
    expect(html).not.toContain('id="open-heading"');
  });

  it('confirms on the receipt where its e-mail goes and when the decision was made', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const invoice = invoicesOf(KARI).find(
      (i) => i.status === 'UNPAID' && i.dueDate > todayInNorway(),
    )!;
    const caseUrl = await ask(kari, invoice.id, 'kari@example.org');
    const receipt = await (await kari.get(caseUrl)).text();
    expect(receipt).toMatch(
      /<dt>Avgjort<\/dt><dd[^>]*>\d{1,2}\. [a-zæøå]+ \d{4}( kl\.)? \d{2}[.:]\d{2}<\/dd>/,
    );
    expect(receipt).toMatch(
      /<dt>Kvittering på e-post<\/dt><dd[^>]*>(Sendes|Sendt) til kari@example\.org/,
    );
    await smtp.waitFor('kari@example.org');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the worker records the send
    expect(await (await kari.get(caseUrl)).text()).toMatch(
      /<dt>Kvittering på e-post<\/dt><dd[^>]*>Sendt til kari@example\.org \d/,
    );
  });

  it('never says "Avgjort" of a case waiting for an officer, nor promises a due date already passed', async () => {
    const ingrid = await loginAs(env.t.url, INGRID);
    const overdue = invoicesOf(INGRID).find(
      (i) => i.status === 'UNPAID' && i.dueDate < todayInNorway(),
    )!;
    const caseUrl = await ask(ingrid, overdue.id);
    const page = await (await ingrid.get(caseUrl)).text();
    expect(page).toContain('Til behandling hos saksbehandler');
    expect(page).not.toContain('Avgjort');
    expect(page).not.toMatch(/gjelder den opprinnelige forfallsdatoen/i);
    // No address given: the receipt says so rather than leaving the resident to wonder.
    expect(page).toMatch(/<dt>Kvittering på e-post<\/dt><dd[^>]*>Ingen adresse oppgitt/);
  });
});
