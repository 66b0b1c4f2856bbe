import { randomUUID } from 'node:crypto';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { traceSha256 } from '../../src/deferrals/decision-audit-payload';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { Session } from '../../src/auth/session/session.entity';
import {
  bankingDayOnOrAfter,
  bankingDayOnOrBefore,
  isBankingDay,
} from '../../src/shared/banking-days';
import { addDays, daysBetween, todayInNorway } from '../../src/shared/calendar-date';
import { formatIsoDate } from '../../src/web/format';
import { browserlessLogin } from '../../dev/idporten/testing/browserless-login';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { syntheticPids } from '../../dev/synthetic-pids';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { INGRID, KARI, OLA, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';

describe('Instant deferral decisions (e2e)', () => {
  let env: PortalWithIdporten;
  let smtp: SmtpSink;
  let municipality: Municipality;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithIdporten({ SMTP_URL: smtp.url, WRITEBACK_POLL_MS: '60000' });
    municipality = await createMunicipality(env.t.em(), {
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
  const openInvoiceOf = (pid: string) =>
    invoicesOf(pid).find(
      (i) =>
        i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > todayInNorway(),
    )!;
  const requestsFor = (invoiceId: string) => env.t.em().count(DeferralRequest, { invoiceId });

  async function formOf(agent: CookieAgent, invoiceId: string) {
    return formOfPage(await (await agent.get(`/fakturaer/${invoiceId}`)).text());
  }

  function formOfPage(html: string) {
    const options = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    return {
      html,
      options,
      csrf:
        /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
        CookieAgent.csrfToken(html),
    };
  }

  it.each([
    ['a malformed date', 'ikke-en-dato', 'Datoen må skrives som dd.mm.åååå'],
    ['a date in the past', '2020-01-01', 'Den nye forfallsdatoen må være etter i dag'],
    ['a date the policy does not allow', '2099-12-31', 'Velg en av datoene i listen'],
    ['no date', '', 'Velg en ny forfallsdato'],
  ])(
    'shows a clear message on the form and stores nothing for %s (before any decision on the invoice)',
    async (_name, date, message) => {
      const kari = await loginAs(env.t.url, KARI);
      const invoice = openInvoiceOf(KARI);
      const form = await formOf(kari, invoice.id);
      const res = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
        _csrf: form.csrf,
        newDueDate: date,
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
      expect(await requestsFor(invoice.id)).toBe(0);
    },
  );

  /** A resident of their own with an open invoice, for a test that must start from nothing. */
  async function freshResident(seed: number, name: string) {
    const [pid] = syntheticPids(1, seededRandom(seed));
    const [entry] = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      [{ pid, name }],
      `r2-${seed}`,
    );
    const invoice = entry.invoices.find((i) => i.status === 'UNPAID')!;
    return { pid, invoice, agent: await loginAs(env.t.url, pid) };
  }

  it('gives every form of the first page after login one CSRF token, the one its cookie holds, so the log-out form works as well as the deferral form', async () => {
    for (const [formAction, seed] of [
      ['/auth/logout', 43],
      ['/utsettelse', 47],
    ] as const) {
      const { agent, invoice } = await freshResident(seed, 'Siv Skjema');
      expect(agent.cookies.has('mf.csrf')).toBe(false);
      // Straight from the login to an invoice (a link in a letter): a deferral form and the log-out
      // form in the menu, and no CSRF cookie yet.
      const page = await agent.get(`/fakturaer/${invoice.id}`);
      const html = await page.text();
      const tokens = [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(new Set(tokens).size).toBe(1);
      const cookies = page.headers.getSetCookie().filter((c) => c.startsWith('mf.csrf='));
      expect(cookies).toHaveLength(1);
      expect(agent.cookies.get('mf.csrf')).toBe(tokens[0]);

      const form = formOfPage(html);
      const res =
        formAction === '/auth/logout'
          ? await agent.postForm('/auth/logout', { _csrf: tokens[0] })
          : await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
              _csrf: form.csrf,
              newDueDate: form.options[0],
            });
      expect(res.status).toBe(303);
    }
  });

  it('offers every banking day of the window and no other, the shortest deferral first, each with its distance in words', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const invoice = openInvoiceOf(KARI);
    const { html, options } = await formOf(kari, invoice.id);
    // The default policy: from the day after the due date (never before tomorrow) to 30 days after.
    const earliest = [addDays(invoice.dueDate, 1), addDays(todayInNorway(), 1)].sort()[1];
    expect(options[0]).toBe(bankingDayOnOrAfter(earliest));
    expect(options[options.length - 1]).toBe(bankingDayOnOrBefore(addDays(invoice.dueDate, 30)));
    for (let day = options[0]; day <= options[options.length - 1]; day = addDays(day, 1))
      expect([day, options.includes(day)]).toEqual([day, isBankingDay(day)]);
    expect(options).toEqual([...options].sort());
    for (const date of options) {
      const days = daysBetween(invoice.dueDate, date);
      expect(html).toContain(
        days === 1 ? '>1 dag etter forfallsdatoen<' : `>${days} dager etter forfallsdatoen<`,
      );
    }
    expect(html).not.toMatch(/\b1 dager\b/);
  });

  it('refuses a day that is no banking day (a Sunday) sent by hand, beside the date, and stores nothing', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const invoice = openInvoiceOf(KARI);
    const form = await formOf(kari, invoice.id);
    let sunday = form.options[0];
    while (new Date(`${sunday}T12:00:00Z`).getUTCDay() !== 0) sunday = addDays(sunday, 1);
    expect(sunday < form.options[form.options.length - 1]).toBe(true);
    const res = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: sunday,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/id="newDueDate-error">Velg en bankdag\./);
    expect(await requestsFor(invoice.id)).toBe(0);
  });

  it('sums up a refused form at the top of the page, focused, each problem linked to its field, with "Feil:" in the title', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const invoice = openInvoiceOf(KARI);
    const form = await formOf(kari, invoice.id);
    const res = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      email: 'ikke en adresse',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>Feil: Faktura – /);
    const summary = /<div class="ds-error-summary"[^>]*>[\s\S]*?<\/div>/.exec(html)![0];
    expect(summary).toMatch(/tabindex="-1"/);
    expect(summary).toMatch(/ autofocus/);
    // Before the page's heading: the first thing in <main>.
    expect(html.indexOf(summary)).toBeLessThan(html.indexOf('<h1'));
    expect(html.indexOf('<main')).toBeLessThan(html.indexOf(summary));
    expect([...summary.matchAll(/href="#([\w-]+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['newDueDate', 'Velg en ny forfallsdato.'],
      [
        'email',
        'Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no, eller la feltet stå tomt.',
      ],
    ]);
    // Each link's target is its field, and the field says its own problem beside it.
    expect(html).toMatch(/<input class="ds-input" type="radio" name="newDueDate" id="newDueDate"/);
    expect(html).toMatch(/<input class="ds-input" type="email" id="email"/);
    expect(html).toContain('id="newDueDate-error">Velg en ny forfallsdato.<');
    expect(html).toContain('id="email-error">Skriv en gyldig e-postadresse');
    // In English, "Error:".
    kari.cookies.set('lang', 'en');
    const english = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
    });
    expect(await english.text()).toMatch(/<title>Error: /);
    expect(await requestsFor(invoice.id)).toBe(0);
  });

  it('shows the request already made when another date is sent after it (Back, a second tab), says the new choice is not registered, and stores and audits nothing new', async () => {
    const { invoice, agent } = await freshResident(29, 'Per Tilbake');
    const firstTab = await formOf(agent, invoice.id);
    const secondTab = await formOf(agent, invoice.id);
    const first = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: firstTab.csrf,
      newDueDate: firstTab.options[1],
    });
    expect(first.status).toBe(303);
    const caseUrl = first.headers.get('location')!;
    expect(caseUrl).toMatch(/^\/saker\/UTS-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const decisions = () =>
      env.t.em().count(AuditEntry, { municipalityId: municipality.id, type: 'deferral.decided' });
    // Everything chained for the municipality but the write-back, which may finish meanwhile.
    const chained = () =>
      env.t.em().count(AuditEntry, {
        municipalityId: municipality.id,
        type: { $nin: ['writeback.succeeded', 'writeback.failed'] },
      });
    const before = { decisions: await decisions(), chained: await chained() };

    const other = secondTab.options[4];
    const second = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: secondTab.csrf,
      newDueDate: other,
    });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(`${caseUrl}?allerede=1&valgt=${other}`);
    const page = await (await agent.get(second.headers.get('location')!)).text();
    const notice = /<div class="ds-alert"[^>]*data-testid="already-asked">[\s\S]*?<\/div>/.exec(
      page,
    )![0];
    expect(notice).toMatch(
      /Du har allerede bedt om utsettelse for denne fakturaen, \d+\. \w+ \d{4}/,
    );
    expect(notice).toContain('Her er svaret.');
    expect(notice).toContain(
      `Det nye valget ditt, ${formatIsoDate(other, 'nb')}, er ikke registrert.`,
    );
    expect(page.indexOf(notice)).toBeLessThan(page.indexOf('<h1'));
    // The first request stands as it was; nothing was decided, stored or chained for the second.
    const requests = await env.t.em().find(DeferralRequest, { invoiceId: invoice.id });
    expect(requests.map((r) => r.requestedDueDate)).toEqual([firstTab.options[1]]);
    expect(await decisions()).toBe(before.decisions);
    expect(await chained()).toBe(before.chained);
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });
    // The plain receipt (a reload without the query) says nothing of a second choice.
    expect(await (await agent.get(caseUrl)).text()).not.toContain('data-testid="already-asked"');
  });

  it('says the session ended when a form is sent after it did, registers nothing, and logs in back to the invoice', async () => {
    const { pid, invoice, agent } = await freshResident(31, 'Siri Sovnet');
    const sessionId = () => decodeURIComponent(agent.cookies.get('mf.sid')!).slice(2).split('.')[0];
    const expectSessionEndedPage = async (res: Response) => {
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain('<h1 class="ds-heading" data-size="lg">Du ble logget ut</h1>');
      expect(html).toContain('ingenting er registrert');
      const href = /<a class="ds-button"[^>]*href="([^"]+)"[^>]*>Logg inn igjen<\/a>/.exec(
        html,
      )?.[1];
      return href?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    };
    const form = await formOf(agent, invoice.id);
    // Idle past the limit: the session is over on the server, though the browser still sends it.
    await env.t
      .em()
      .nativeUpdate(Session, { id: sessionId() }, { expiresAt: new Date(Date.now() - 1000) });
    const login = await expectSessionEndedPage(
      await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
        _csrf: form.csrf,
        newDueDate: form.options[2],
      }),
    );
    expect(login).toBe(`/auth/login?returnTo=${encodeURIComponent(`/fakturaer/${invoice.id}`)}`);
    expect(await requestsFor(invoice.id)).toBe(0);

    // "Logg inn igjen" goes through ID-porten and back to the invoice, whose form works again.
    const start = await agent.get(login!);
    const { callbackUrl } = await browserlessLogin(new URL(start.headers.get('location')!), {
      pid,
    });
    const back = await agent.get(callbackUrl.href);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/fakturaer/${invoice.id}`);
    const again = await formOf(agent, invoice.id);
    expect(again.options).toEqual(form.options);

    // The browser dropped the cookie with the idle time (its max-age): the same page.
    agent.cookies.delete('mf.sid');
    expect(
      await expectSessionEndedPage(
        await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
          _csrf: again.csrf,
          newDueDate: again.options[2],
        }),
      ),
    ).toBe(login);
    expect(await requestsFor(invoice.id)).toBe(0);
  });

  it('still refuses a token from another session with 403 while the session is alive, storing nothing', async () => {
    const { pid, invoice, agent } = await freshResident(37, 'Tor Token');
    const form = await formOf(agent, invoice.id);
    const elsewhere = await formOf(await loginAs(env.t.url, pid), invoice.id);
    for (const token of [elsewhere.csrf, 'forged', '']) {
      const res = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
        _csrf: token,
        newDueDate: form.options[2],
      });
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('Ingen tilgang');
      expect(html).not.toContain('Logg inn igjen');
    }
    // Nor is a post from a browser that never opened our form (no CSRF cookie) a lapsed session.
    const stranger = await new CookieAgent(env.t.url).postForm(
      `/fakturaer/${invoice.id}/utsettelse`,
      { _csrf: form.csrf, newDueDate: form.options[2] },
    );
    expect(stranger.status).toBe(403);
    expect(await requestsFor(invoice.id)).toBe(0);
    // The session itself is untouched: its own token still works.
    const res = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: form.options[2],
    });
    expect(res.status).toBe(303);
  });

  it('approves at once, writes the new due date back, shows the receipt and e-mails it', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const invoice = openInvoiceOf(KARI);
    const form = await formOf(kari, invoice.id);
    expect(form.options.length).toBeGreaterThan(10);
    const chosen = form.options[13];
    const res = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: chosen,
      email: 'kari@example.org',
    });
    expect(res.status).toBe(303);
    const caseUrl = res.headers.get('location')!;
    expect(caseUrl).toMatch(/^\/saker\/UTS-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const reference = caseUrl.split('/').pop()!;

    const receipt = await (await kari.get(caseUrl)).text();
    expect(receipt).toContain('Innvilget');
    expect(receipt).toContain(reference);
    expect(receipt).toContain('AvtaleGiro');
    expect(receipt).toMatch(/Den nye datoen blir registrert|Den nye forfallsdatoen er registrert/);

    const [request] = await env.t.em().find(DeferralRequest, { invoiceId: invoice.id });
    expect(request).toMatchObject({
      outcome: 'approved',
      newDueDate: chosen,
      requestedDueDate: chosen,
      pid: KARI,
    });
    expect(request.facts).toMatchObject({
      amountOre: invoice.outstandingOre,
      dueDate: invoice.dueDate,
      requestedDueDate: chosen,
    });
    expect(request.trace.length).toBeGreaterThan(0);

    const audit = await env.t
      .em()
      .find(AuditEntry, { subjectId: request.id, type: 'deferral.decided' });
    expect(audit).toHaveLength(1);
    expect(audit[0].payload).toMatchObject({
      outcome: 'approved',
      newDueDate: chosen,
      facts: { requestedDueDate: chosen },
      policy: { versionId: request.policyVersionId },
    });
    // The entry names every rule and whether it fired, and ties itself to the trace stored with
    // the request (read back from the database) by that trace's hash.
    const payload = audit[0].payload as {
      rules: { name: string; fired: boolean }[];
      traceSha256: string;
    };
    expect(payload.rules).toEqual(request.trace.map((r) => ({ name: r.name, fired: r.fired })));
    expect(payload.rules.filter((r) => r.fired).map((r) => r.name)).toContain(
      'approve-within-limits',
    );
    expect(payload.traceSha256).toBe(traceSha256(request.trace));
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });

    await env.t.app.get(WritebackWorker).drain();
    const job = await env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: request.id });
    expect(job.status).toBe('done');
    const stored = await env.t.em().findOneOrFail(LedgerInvoice, { id: invoice.id });
    expect(stored.dueDate).toBe(chosen);
    expect(await (await kari.get(caseUrl)).text()).toContain(
      'Den nye forfallsdatoen er registrert i økonomisystemet',
    );
    // Sent again after the due date has moved (a reload, an old tab): the same receipt, no new decision.
    const again = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: chosen,
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${caseUrl}?allerede=1&valgt=${chosen}`);
    // The same date again: the receipt, saying it was asked for already, and nothing "not registered".
    const told = await (await kari.get(again.headers.get('location')!)).text();
    expect(told).toContain('Du har allerede bedt om utsettelse for denne fakturaen');
    expect(told).not.toContain('ikke registrert');
    expect(await requestsFor(invoice.id)).toBe(1);
    expect(await (await kari.get(`/fakturaer/${invoice.id}`)).text()).toContain(reference);
    const trail = await env.t
      .em()
      .find(AuditEntry, { subjectId: request.id }, { orderBy: { seq: 'asc' } });
    expect(trail.map((e) => e.type)).toEqual(['deferral.decided', 'writeback.succeeded']);
    expect(trail[1].payload).toMatchObject({ dueDate: chosen, previousDueDate: invoice.dueDate });
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });

    // Sent by the receipt outbox's worker soon after the decision committed.
    const mail = await smtp.waitFor('kari@example.org');
    const text = decodeQuotedPrintable(mail.raw);
    expect(text).toContain(reference);
    expect(text).not.toContain(KARI);
  });

  it('makes one decision however often the form is sent (double click, two tabs)', async () => {
    const ingrid = await loginAs(env.t.url, INGRID);
    const invoice = invoicesOf(INGRID).find((i) => i.category === 'EIENDOMSSKATT')!;
    const form = await formOf(ingrid, invoice.id);
    const post = () =>
      ingrid.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
        _csrf: form.csrf,
        newDueDate: form.options[5],
      });
    const answers = await Promise.all([post(), post(), post()]);
    const locations = answers.map((a) => a.headers.get('location')!);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    expect(new Set(locations.map((l) => l.split('?')[0])).size).toBe(1);
    // One made the decision; the others are shown it, as asked for already.
    expect(locations.filter((l) => l.includes('?allerede=1'))).toHaveLength(2);
    expect(await requestsFor(invoice.id)).toBe(1);
  });

  it('stores decisions that arrive together once each, each with its own audit entry, and keeps the chain whole', async () => {
    const pids = syntheticPids(8, seededRandom(11));
    const residents = pids.map((pid, i) => ({
      pid,
      name: `Innbygger ${i}`,
      municipality: 'fjordvik' as const,
    }));
    const entries = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      residents,
      'wave',
    );
    const wave = await Promise.all(
      entries.map(async (entry) => {
        const agent = await loginAs(env.t.url, entry.pid);
        const invoice = entry.invoices.find((i) => i.status === 'UNPAID')!;
        return { agent, invoice, form: await formOf(agent, invoice.id) };
      }),
    );
    const post = ({ agent, invoice, form }: (typeof wave)[number]) =>
      agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
        _csrf: form.csrf,
        newDueDate: form.options[3],
      });
    // Everyone at once, and the first resident in three tabs.
    const answers = await Promise.all([...wave.map(post), post(wave[0]), post(wave[0])]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    const tabs = [answers[0], ...answers.slice(-2)];
    expect(new Set(tabs.map((a) => a.headers.get('location')!.split('?')[0])).size).toBe(1);

    const requests = await env.t.em().find(DeferralRequest, { pid: { $in: pids } });
    expect(requests.map((r) => r.invoiceId).sort()).toEqual(wave.map((w) => w.invoice.id).sort());
    const entriesFor = await env.t.em().find(AuditEntry, {
      type: 'deferral.decided',
      subjectId: { $in: requests.map((r) => r.id) },
    });
    expect(entriesFor.map((e) => e.subjectId).sort()).toEqual(requests.map((r) => r.id).sort());
    const approved = requests.filter((r) => r.outcome === 'approved');
    expect(approved.length).toBeGreaterThan(0);
    expect(
      await env.t
        .em()
        .count(WritebackJob, { deferralRequestId: { $in: requests.map((r) => r.id) } }),
    ).toBe(approved.length);
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });
  });

  it('sends a large amount to manual review with the limit named, and lets the resident send it to a person', async () => {
    const ingrid = await loginAs(env.t.url, INGRID);
    const [request] = await env.t.em().find(DeferralRequest, { pid: INGRID });
    expect(request.outcome).toBe('manual_review');
    const page = await (await ingrid.get(`/saker/${request.reference}`)).text();
    // Waiting for a person from the start: never "decided" before one has decided.
    expect(request.status).toBe('awaiting_officer');
    expect(page).toContain('Til behandling hos saksbehandler');
    expect(page).not.toMatch(/>Avgjort</);
    expect(page).toContain('Legg til en melding til saksbehandleren');
    const csrf = CookieAgent.csrfToken(page);
    const empty = await ingrid.postForm(`/saker/${request.reference}/saksbehandler`, {
      _csrf: csrf,
      message: '   ',
    });
    expect(empty.status).toBe(400);
    const refused = await empty.text();
    expect(refused).toContain('Skriv en melding til saksbehandleren');
    // Summed up at the top of the page, linked to the message, "Feil:" in the title.
    expect(refused).toMatch(/<title>Feil: /);
    const summary = refused.indexOf('<div class="ds-error-summary"');
    expect(summary).toBeGreaterThan(refused.indexOf('<main'));
    expect(summary).toBeLessThan(refused.indexOf('<h1'));
    expect(refused.slice(summary)).toMatch(/^[^]*?href="#message">Skriv en melding/);
    expect(refused).toContain('id="message-error"');
    const sent = await ingrid.postForm(`/saker/${request.reference}/saksbehandler`, {
      _csrf: csrf,
      message: 'Jeg får lønn den 20.',
    });
    expect(sent.status).toBe(303);
    const after = await env.t.em().findOneOrFail(DeferralRequest, { id: request.id });
    expect(after).toMatchObject({
      status: 'awaiting_officer',
      officerMessage: 'Jeg får lønn den 20.',
    });
    // Audited, with a hash of the message rather than a copy; a second message is refused.
    const [entry] = await env.t
      .em()
      .find(AuditEntry, { subjectId: request.id, type: 'case.sent_to_officer' });
    expect(entry.payload).toMatchObject({ by: 'resident', previousStatus: 'awaiting_officer' });
    expect(JSON.stringify(entry.payload)).not.toContain('lønn');
    const again = await ingrid.get(`/saker/${request.reference}`);
    expect(await again.text()).not.toContain('Legg til en melding til saksbehandleren');
  });

  it('refuses a paid invoice and one in debt collection with a message, storing nothing', async () => {
    const ola = await loginAs(env.t.url, OLA);
    const inCollection = invoicesOf(OLA).find(
      (i) => i.status === 'SENT_TO_DEBT_COLLECTION' || i.status === 'IN_DEBT_COLLECTION',
    )!;
    const paid = invoicesOf(OLA).find((i) => i.status === 'PAID')!;
    const page = await (await ola.get(`/fakturaer/${inCollection.id}`)).text();
    expect(page).toContain('Kravet er sendt til inkasso hos Testinkasso AS');
    expect(page).not.toContain('name="newDueDate"');
    const csrf = CookieAgent.csrfToken(page);
    const res = await ola.postForm(`/fakturaer/${inCollection.id}/utsettelse`, {
      _csrf: csrf,
      newDueDate: '2099-01-01',
    });
    expect(res.status).toBe(409);
    const resPaid = await ola.postForm(`/fakturaer/${paid.id}/utsettelse`, {
      _csrf: csrf,
      newDueDate: '2099-01-01',
    });
    expect(resPaid.status).toBe(409);
    expect(await resPaid.text()).toContain('Fakturaen er betalt');
    expect(await env.t.em().count(DeferralRequest, { pid: OLA })).toBe(0);
  });

  it("answers 404 for another resident's invoice and stores nothing", async () => {
    const ola = await loginAs(env.t.url, OLA);
    const karis = invoicesOf(KARI)[0];
    const page = await (await ola.get('/fakturaer')).text();
    const res = await ola.postForm(`/fakturaer/${karis.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(page),
      newDueDate: '2099-01-01',
    });
    expect(res.status).toBe(404);
    expect(await env.t.em().count(DeferralRequest, { pid: OLA })).toBe(0);
  });

  it("counts the resident's earlier approvals by the day each was decided, one stored by the previous release (no such day of its own) by its facts", async () => {
    const { pid, invoice, agent } = await freshResident(41, 'Eva Tidligere');
    const today = todayInNorway();
    const approval = (n: number, decidedOn: string | null, factsToday: string) => ({
      municipalityId: municipality.id,
      reference: `UTS-OLD${n}-TEST`,
      pid,
      invoiceId: `r2-41-earlier-${n}`,
      invoiceNumber: `E-${n}`,
      invoiceTitle: 'Tidligere faktura',
      amountOre: 10_000,
      originalDueDate: addDays(factsToday, 10),
      requestedDueDate: addDays(factsToday, 30),
      outcome: 'approved' as const,
      policyOutcome: 'approved' as const,
      newDueDate: addDays(factsToday, 30),
      reasons: [],
      notices: [],
      facts: { today: factsToday } as DeferralRequest['facts'],
      trace: [],
      policyVersionId: randomUUID(),
      decidedOn,
      language: 'nb',
      createdAt: new Date(`${factsToday}T10:00:00Z`),
    });
    const twoMonthsAgo = addDays(today, -60);
    const eightMonthsAgo = addDays(today, -240);
    const em = env.t.em();
    await em.insertMany(DeferralRequest, [
      em.create(DeferralRequest, approval(1, twoMonthsAgo, twoMonthsAgo), { persist: false }),
      em.create(DeferralRequest, approval(2, null, eightMonthsAgo), { persist: false }),
    ]);

    const form = await formOf(agent, invoice.id);
    const res = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: form.options[0],
    });
    expect(res.status).toBe(303);
    const [request] = await env.t.em().find(DeferralRequest, { invoiceId: invoice.id });
    expect(request.decidedOn).toBe(today);
    expect(request.facts).toMatchObject({ deferralsLast6Months: 1, deferralsLast12Months: 2 });
  });

  it('lists the resident\'s own cases under "Mine saker"', async () => {
    const kari = await loginAs(env.t.url, KARI);
    const html = await (await kari.get('/saker')).text();
    const mine = await env.t.em().find(DeferralRequest, { pid: KARI });
    for (const r of mine) expect(html).toContain(r.reference);
    const others = await env.t.em().find(DeferralRequest, { pid: { $ne: KARI } });
    for (const r of others) expect(html).not.toContain(r.reference);
  });
});
