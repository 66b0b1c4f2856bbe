import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import { formatIsoDate } from '../../src/web/format';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { launchBrowser, watchForProblems, expectAccessible } from '../support/browser';
import { INGRID, seedLedgerFor } from '../support/ledger-fixtures';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The journey in Chromium: Ingrid's property-tax request goes to review; an officer finds
 * it in the queue, takes it and approves it with a date of their own; the write-back runs;
 * Ingrid's case page and e-mail show the person's decision; the dashboard counts it. Each new
 * page is checked with axe at 360 and 1280 px in both colour schemes.
 */
describe('A case decided by a person, in Chromium', () => {
  let env: PortalWithStaff;
  let smtp: SmtpSink;
  let browser: Browser;
  let propertyTax: { id: string; dueDate: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithStaff({
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '100',
      WRITEBACK_POLL_MS: '100',
    });
    const ledger = await seedLedgerFor(env.t.em(), env.a, todayInNorway(), [{ pid: INGRID }]);
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
    env.t.refreshTenants();
    propertyTax = ledger
      .find((e) => e.pid === INGRID)!
      .invoices.find((i) => i.category === 'EIENDOMSSKATT')!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await env?.close();
    await smtp?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nb-NO',
    });
    contexts.push(context);
    return context.newPage();
  }

  it('takes Ingrid’s property tax from review to an officer’s approval, written back and told to her', async () => {
    // Ingrid asks for more time on her property tax; the policy sends it to a person.
    const ingrid = await newPage();
    const ingridProblems = watchForProblems(ingrid);
    await ingrid.goto(`${env.t.url}/auth/login`);
    await ingrid.waitForURL(`${env.idporten.issuer}/**`);
    await ingrid.locator('#pid').fill(INGRID);
    await ingrid.getByRole('button', { name: 'Logg inn' }).click();
    await ingrid.waitForURL(`${env.t.url}/fakturaer`);
    await ingrid.goto(`${env.t.url}/fakturaer/${propertyTax.id}`);
    await ingrid.getByRole('group', { name: 'Ny forfallsdato' }).getByRole('radio').nth(6).check();
    await ingrid.locator('#email').fill('ingrid@example.test');
    await ingrid.getByRole('button', { name: 'Be om utsettelse' }).click();
    await ingrid.waitForURL(/\/saker\/UTS-/);
    const reference = (await ingrid.getByTestId('reference').textContent())!.trim();
    await expect(ingrid.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Til behandling hos saksbehandler',
    );
    await expect(ingrid.getByTestId('case-status').textContent()).resolves.toBe(
      'Til behandling hos saksbehandler',
    );
    await expectAccessible(ingrid, 'resident case waiting for a person');

    // The officer finds it in the queue and opens it.
    const officer = await newPage();
    const officerProblems = watchForProblems(officer);
    await officer.goto(`${env.t.url}/saksbehandler/saker`);
    await officer.waitForURL(`${env.idporten.issuer}/**`);
    await officer.getByLabel('Siri Saksbehandler').check();
    await officer.getByRole('button', { name: 'Logg inn' }).click();
    await officer.waitForURL(`${env.t.url}/saksbehandler/saker`);
    await expect(officer.getByTestId('queue').textContent()).resolves.toContain(reference);
    await expectAccessible(officer, 'queue');
    await officer.getByLabel('Status').selectOption('awaiting_officer');
    await officer.getByRole('button', { name: 'Vis' }).click();
    await expect(officer.getByTestId('queue').textContent()).resolves.toContain(reference);
    await officer.getByRole('link', { name: reference }).click();
    await officer.waitForURL(/\/saksbehandler\/saker\/[0-9a-f-]{36}$/);
    await expectAccessible(officer, 'case, not taken');

    // Take it, and approve with a date the policy would never give.
    await officer.getByRole('button', { name: 'Ta saken' }).click();
    await expect(officer.getByTestId('case-done').textContent()).resolves.toContain(
      'Du har tatt saken',
    );
    await expectAccessible(officer, 'case, taken');
    const request = await env.t.em().findOneOrFail(DeferralRequest, { reference });
    const dueDate = addDays(request.originalDueDate, 90);
    await officer.getByLabel('Ny forfallsdato').fill(dueDate);
    await officer
      .getByLabel('Melding til innbyggeren (valgfritt)')
      .fill('Lykke til med budsjettet.');
    await officer.getByRole('button', { name: 'Innvilg med denne datoen' }).click();
    await expect(officer.getByTestId('case-done').textContent()).resolves.toContain(
      'Saken er innvilget',
    );

    // The write-back moves the due date in the finance system; the case page says so.
    const job = await until(
      () => env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: request.id }),
      (j) => j.status === 'done',
    );
    expect(job.status).toBe('done');
    expect((await env.t.em().findOneOrFail(LedgerInvoice, { id: propertyTax.id })).dueDate).toBe(
      dueDate,
    );
    await officer.reload();
    await expect(officer.getByTestId('case-writeback').textContent()).resolves.toContain(
      'Registrert i økonomisystemet',
    );
    await expectAccessible(officer, 'case, decided');

    // Ingrid's page and e-mail show the officer's decision.
    await ingrid.reload();
    await expect(ingrid.getByTestId('case-state').textContent()).resolves.toContain(
      formatIsoDate(dueDate, 'nb'),
    );
    await expect(ingrid.getByTestId('case-state').textContent()).resolves.toContain(
      'Avgjort av saksbehandler',
    );
    await expect(ingrid.getByTestId('officer-reason').textContent()).resolves.toBe(
      'Lykke til med budsjettet.',
    );
    await expectAccessible(ingrid, 'resident case decided by a person');
    const mails = await until(
      async () => smtp.messages.filter((m) => m.to.includes('ingrid@example.test')),
      (list) => list.length >= 2,
    );
    const decision = decodeQuotedPrintable(mails[1].raw);
    expect(decision).toContain('Saksbehandler har behandlet');
    expect(decision).toContain('Lykke til med budsjettet.');

    // The overview counts it: one request, decided by a person, none open.
    await officer.goto(`${env.t.url}/saksbehandler/oversikt`);
    await expect(officer.getByTestId('figure-requests').textContent()).resolves.toBe('1');
    await expect(officer.getByTestId('figure-open').textContent()).resolves.toBe('0');
    await expect(officer.getByTestId('figure-automatic').textContent()).resolves.toMatch(
      /^0\s%\s\(0 av 1\)$/,
    );
    await expect(officer.getByTestId('figure-time').textContent()).resolves.toMatch(/\d/);
    await expectAccessible(officer, 'overview');

    expect({ ingrid: ingridProblems, officer: officerProblems }).toEqual({
      ingrid: [],
      officer: [],
    });
  }, 180_000);

  it('shows a refused write-back to the officer, who resolves it by hand; Ingrid’s page says so', async () => {
    // Ingrid's next request (her water bill) is approved at once, but the finance system refuses
    // the new date: it has meanwhile been paid there (a refusal the outbox does not retry).
    const request = await env.t
      .em()
      .findOneOrFail(DeferralRequest, { pid: INGRID, outcome: 'approved' });
    await env.t.em().nativeUpdate(
      WritebackJob,
      { deferralRequestId: request.id },
      {
        status: 'failed',
        lastError: 'rejected:INVOICE_PAID',
        failedAt: new Date(),
        completedAt: null,
      },
    );

    const officer = await newPage();
    const problems = watchForProblems(officer);
    await officer.goto(`${env.t.url}/saksbehandler/tilbakeskriving`);
    await officer.waitForURL(`${env.idporten.issuer}/**`);
    await officer.getByLabel('Siri Saksbehandler').check();
    await officer.getByRole('button', { name: 'Logg inn' }).click();
    await officer.waitForURL(`${env.t.url}/saksbehandler/tilbakeskriving`);
    await expect(officer.locator('main').textContent()).resolves.toContain(request.reference);
    await expectAccessible(officer, 'failed write-backs');
    // Without a note it is refused beside the field; with one it is done.
    await officer.locator('summary').filter({ hasText: 'Løst manuelt' }).first().click();
    await officer
      .getByRole('button', { name: /Marker som løst manuelt/ })
      .first()
      .click();
    await expect(
      officer.locator('.ds-validation-message').first().textContent(),
    ).resolves.toContain('Skriv hva du gjorde i økonomisystemet');
    await expectAccessible(officer, 'failed write-backs with an error');
    await officer
      .getByLabel(/Hva gjorde du i økonomisystemet/)
      .first()
      .fill('Satt ny forfallsdato for hånd.');
    await officer
      .getByRole('button', { name: /Marker som løst manuelt/ })
      .first()
      .click();
    await expect(officer.getByRole('status').first().textContent()).resolves.toContain(
      'markert som løst manuelt',
    );

    const ingrid = await newPage();
    await ingrid.goto(`${env.t.url}/auth/login`);
    await ingrid.waitForURL(`${env.idporten.issuer}/**`);
    await ingrid.locator('#pid').fill(INGRID);
    await ingrid.getByRole('button', { name: 'Logg inn' }).click();
    await ingrid.waitForURL(`${env.t.url}/fakturaer`);
    await ingrid.goto(`${env.t.url}/saker/${request.reference}`);
    await expect(ingrid.getByTestId('writeback').textContent()).resolves.toContain(
      'Kommunen har registrert den nye forfallsdatoen',
    );
    // The note refused on purpose answers 400; nothing else may go wrong.
    expect(problems.filter((p) => !/lost-manuelt|status of 400/.test(p))).toEqual([]);
  }, 240_000);
});
