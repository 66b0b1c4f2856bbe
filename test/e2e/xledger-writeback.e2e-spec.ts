import { syntheticPids } from '../../dev/synthetic-pids';
import { demoXledgerSettings } from '../../dev/xledger-server/xledger-seed';
import {
  startXledgerServer,
  type RunningXledgerServer,
} from '../../dev/xledger-server/xledger-server';
import { xledgerTenant, xledgerTokenEnv } from '../../src/finance/testing/xledger-tenant';
import { keyHashOf, readMarkers } from '../../src/finance/xledger/xledger-marker';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { todayInNorway } from '../../src/shared/calendar-date';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { residentWithStory } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';

const [KARI, OLA] = syntheticPids(2, seededRandom(1717));
const TOKEN = 'fjordvik-xledger-e2e-token-01';

/**
 * A municipality on Xledger, end to end: the resident's invoices come from Xledger's GraphQL API,
 * a deferral the policy approves is written back by the write-back worker (due date and marker in
 * one mutation, confirmed by reading back), and a write-back whose read-back shows another date is
 * left for an officer instead of being retried over a person's change.
 */
describe('A municipality on Xledger (e2e)', () => {
  let xledger: RunningXledgerServer;
  let env: PortalWithIdporten;

  beforeAll(async () => {
    const today = todayInNorway();
    xledger = await startXledgerServer({
      today,
      tokens: { fjordvik: TOKEN },
      ledger: [KARI, OLA].map((pid, i) =>
        residentWithStory(pid, 'plainPayer', {
          today,
          name: `Beboer ${i}`,
          municipality: 'fjordvik',
        }),
      ),
    });
    env = await startPortalWithIdporten({
      [xledgerTokenEnv('fjordvik')]: TOKEN,
      WRITEBACK_BACKOFF_MS: '1',
      WRITEBACK_POLL_MS: '200',
    });
    const { settings } = xledgerTenant('fjordvik', xledger.url, demoXledgerSettings('fjordvik'));
    await createMunicipality(env.t.em(), {
      slug: 'fjordvik',
      hostnames: ['127.0.0.1'],
      settings,
    });
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await xledger?.close();
  });

  const books = () => xledger.store().entity('fjordvik');
  const row = (dbId: string) => books().arTransactions.find((r) => r.dbId === dbId)!;
  const openRowOf = (pid: string) => {
    const company = books().companies.find((c) => c.companyNumber === pid)!;
    const customer = books().customers.find((c) => c.companyDbId === company.dbId)!;
    return books().arTransactions.find(
      (r) =>
        r.subledgerDbId === customer.dbId &&
        Number(r.invoiceAmount) > 0 &&
        Number(r.invoiceRemaining) > 0,
    )!;
  };
  const jobFor = async (invoiceId: string) =>
    (await env.t.em().find(WritebackJob, { invoiceId }))[0];

  /** Logs in, opens the resident's open invoice and asks for a date the form offers. */
  async function defer(pid: string) {
    const agent = await loginAs(env.t.url, pid);
    const list = await agent.get('/fakturaer');
    expect(list.status).toBe(200);
    const invoiceId = openRowOf(pid).dbId;
    expect(await list.text()).toContain(invoiceId);
    const page = await agent.get(`/fakturaer/${invoiceId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = html.slice(html.indexOf('utsettelse'));
    const dates = [...form.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const newDueDate = dates[Math.min(5, dates.length - 1)];
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(form),
      newDueDate,
    });
    expect(res.status).toBe(303);
    return { agent, invoiceId, newDueDate, caseUrl: res.headers.get('location')! };
  }

  it('lists the resident’s Xledger invoices, approves a deferral and writes the due date into Xledger once, with the job’s key in the marker', async () => {
    const originalDueDate = openRowOf(KARI).dueDate;
    const { agent, invoiceId, newDueDate, caseUrl } = await defer(KARI);
    expect(await (await agent.get(caseUrl)).text()).toContain('Innvilget');

    await env.t.app.get(WritebackWorker).drain();

    const job = await jobFor(invoiceId);
    expect(job).toMatchObject({ status: 'done', lastError: null });
    expect(row(invoiceId)).toMatchObject({ dueDate: newDueDate, deferredDueDate: newDueDate });
    expect(readMarkers(row(invoiceId).text)).toEqual([
      expect.objectContaining({
        keyHash: keyHashOf(job.idempotencyKey),
        previousDueDate: originalDueDate,
        dueDate: newDueDate,
      }),
    ]);
    expect(row(invoiceId).text).not.toContain(KARI);
    expect(xledger.store().updates).toEqual({ [invoiceId]: 1 });
    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Den nye forfallsdatoen er registrert i økonomisystemet.',
    );
    // The invoice page reads Xledger again: the new due date, the first one, and the change.
    const page = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const shown = new Intl.DateTimeFormat('nb-NO', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(newDueDate));
    expect(page).toContain(`<dt>Forfallsdato</dt><dd>${shown}</dd>`);
    expect(page).toContain('<dt>Opprinnelig forfallsdato</dt>');
    expect(page).toMatch(new RegExp(`<li>Endret [^<]+ til ${shown}</li>`));
  });

  it('leaves a write-back for an officer when the read-back shows a date a person set meanwhile: failed at once, not written again', async () => {
    const { agent, invoiceId, newDueDate, caseUrl } = await defer(OLA);
    xledger.faults.set({ mode: 'concurrent-edit', operations: ['updateArTransactions'] });
    try {
      await env.t.app.get(WritebackWorker).drain();
    } finally {
      xledger.faults.set({ mode: 'none' });
    }

    const job = await jobFor(invoiceId);
    expect(job).toMatchObject({ status: 'failed', lastError: 'rejected:DUE_DATE_NOT_CONFIRMED' });
    expect(job.attempts).toBe(1);
    expect(xledger.store().updates[invoiceId]).toBe(1);
    expect(row(invoiceId).dueDate).not.toBe(newDueDate);
    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Vi fikk ikke registrert den nye datoen automatisk. En saksbehandler ordner det, og utsettelsen gjelder.',
    );
  });

  it('tells the resident invoices are unavailable while Xledger answers with errors', async () => {
    const agent = await loginAs(env.t.url, KARI);
    // The ledger, not the customer lookup: that one is remembered from the first test.
    xledger.faults.set({ mode: 'graphql-error', operations: ['arTransactions'] });
    try {
      const page = await agent.get('/fakturaer');
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('Fakturaene er ikke tilgjengelige akkurat nå');
    } finally {
      xledger.faults.set({ mode: 'none' });
    }
  });
});
