import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { expectAccessible, launchBrowser, watchForProblems } from '../support/browser';
import { residentWithStory, syntheticPid } from '../support/resident-factory';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

const API_KEY = 'handover-browser-finance-key';

/**
 * A hand-over in Chromium: Kari's approval in a municipality whose finance system cannot take it
 * reads "being registered" on her case page; the finance officer finds the task under "Til
 * registrering" and marks it registered. Each page is checked with axe at 360 and 1280 px in both
 * colour schemes.
 */
describe('A due date handed over to the finance team, in Chromium', () => {
  let finance: RunningFinanceServer;
  let env: PortalWithStaff;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const kari = residentWithStory(syntheticPid(7_300), 'openInvoicePayer', {
    today: todayInNorway(),
    municipality: 'nordby',
    prefix: 'hob',
  });

  beforeAll(async () => {
    finance = await startFinanceServer({ apiKey: API_KEY, ledger: [kari] });
    env = await startPortalWithStaff({ FINANCE_API_KEY: API_KEY, WRITEBACK_WORKER: 'off' });
    const em = env.t.em();
    const a = await em.findOneOrFail(Municipality, env.a.id);
    a.settings = {
      ...a.settings,
      financeAdapter: 'http',
      financeBaseUrl: finance.url,
      financeWritesDueDates: false,
    };
    await em.flush();
    env.t.refreshTenants();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await env?.close();
    await finance?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nb-NO',
    });
    contexts.push(context);
    return context.newPage();
  }

  it('tells the resident the date is being registered, and lets the officer mark it registered', async () => {
    const resident = await newPage();
    const residentProblems = watchForProblems(resident);
    await resident.goto(`${env.t.url}/auth/login`);
    await resident.waitForURL(`${env.idporten.issuer}/**`);
    await resident.locator('#pid').fill(kari.pid);
    await resident.getByRole('button', { name: 'Logg inn' }).click();
    await resident.waitForURL(`${env.t.url}/fakturaer`);
    const open = kari.invoices.find((i) => i.status === 'UNPAID')!;
    await resident.goto(`${env.t.url}/fakturaer/${open.id}`);
    await resident
      .getByRole('group', { name: 'Ny forfallsdato' })
      .getByRole('radio')
      .nth(2)
      .check();
    await resident.getByRole('button', { name: 'Be om utsettelse' }).click();
    await resident.waitForURL(/\/saker\/UTS-/);
    await env.t.app.get(WritebackWorker).drain();
    await resident.reload();
    await expect(resident.getByTestId('writeback').textContent()).resolves.toBe(
      'Den nye fristen blir registrert av kommunen.',
    );
    await expectAccessible(resident, 'the case page of a handed-over due date');
    expect(residentProblems).toEqual([]);

    const request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId: open.id });
    const officer = await newPage();
    const officerProblems = watchForProblems(officer);
    await officer.goto(`${env.t.url}/saksbehandler/tilbakeskriving`);
    await officer.waitForURL(`${env.idporten.issuer}/**`);
    await officer.getByLabel('Siri Saksbehandler').check();
    await officer.getByRole('button', { name: 'Logg inn' }).click();
    await officer.waitForURL(`${env.t.url}/saksbehandler/tilbakeskriving`);
    const tasks = officer.getByRole('table', { name: /venter på registrering/ });
    await expect(tasks.textContent()).resolves.toContain(request.reference);
    await expectAccessible(officer, 'the hand-over tasks');

    await tasks.getByRole('button', { name: /^Registrert/ }).click();
    await officer.waitForURL(/\?ok=registered$/);
    await expect(officer.getByRole('status').textContent()).resolves.toContain(
      'Oppgaven er markert som registrert.',
    );
    await expect(
      officer.getByRole('table', { name: /Siste oppgaver som er lukket/ }).textContent(),
    ).resolves.toContain('Markert som registrert av');
    await expectAccessible(officer, 'a hand-over marked registered');
    expect(officerProblems).toEqual([]);
    expect(
      await env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: request.id }),
    ).toMatchObject({ status: 'registered_by_hand' });
  }, 180_000);
});
