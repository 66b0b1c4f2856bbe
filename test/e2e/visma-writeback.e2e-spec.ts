import { syntheticPids } from '../../dev/synthetic-pids';
import {
  VISMA_DEMO_CLIENT,
  startVismaServer,
  type RunningVismaServer,
} from '../../dev/visma-server/visma-server';
import {
  VISMA_DEMO_SECRET_ENV,
  vismaDemoSettings,
} from '../../dev/visma-server/visma-demo-settings';
import { parseMarks } from '../../src/finance/visma/visma-marker';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { todayInNorway } from '../../src/shared/calendar-date';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { residentWithStory } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';

const [KARI, OLA] = syntheticPids(2, seededRandom(1707));

/**
 * A municipality on Visma.net ERP, end to end: the resident's invoices come from Visma, a
 * deferral the policy approves is written back into Visma by the write-back worker, and a
 * write-back Visma keeps refusing with 412 is left for an officer instead of being retried.
 */
describe('A municipality on Visma.net ERP (e2e)', () => {
  let visma: RunningVismaServer;
  let env: PortalWithIdporten;

  beforeAll(async () => {
    const today = todayInNorway();
    visma = await startVismaServer({
      today,
      ledger: [KARI, OLA].map((pid, i) =>
        residentWithStory(pid, 'plainPayer', {
          today,
          name: `Beboer ${i}`,
          municipality: 'fjordvik',
        }),
      ),
    });
    env = await startPortalWithIdporten({
      [VISMA_DEMO_SECRET_ENV]: VISMA_DEMO_CLIENT.clientSecret,
      WRITEBACK_BACKOFF_MS: '1',
      WRITEBACK_POLL_MS: '200',
    });
    await createMunicipality(env.t.em(), {
      slug: 'fjordvik',
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'visma', visma: vismaDemoSettings(visma, 'fjordvik') },
    });
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await visma?.close();
  });

  const jobFor = async (invoiceId: string) =>
    (await env.t.em().find(WritebackJob, { invoiceId }))[0];
  const stored = (invoiceId: string) => visma.store().invoice(visma.tenants.fjordvik, invoiceId)!;

  /** Logs in, opens the resident's open invoice and asks for the latest date offered. */
  async function defer(pid: string) {
    const agent = await loginAs(env.t.url, pid);
    const list = await agent.get('/fakturaer');
    expect(list.status).toBe(200);
    const open = visma
      .store()
      .invoicesOf(visma.tenants.fjordvik, customerOf(pid))
      .find((i) => i.status === 'Open')!;
    const invoiceId = String(open.referenceNumber);
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

  const customerOf = (pid: string) => {
    const [customer] = visma
      .store()
      .customers(visma.tenants.fjordvik, new URLSearchParams({ corporateId: pid })) as {
      number: string;
    }[];
    return customer.number;
  };

  it('lists the resident’s Visma invoices, approves a deferral and writes the new due date into Visma once, marked with the job’s key', async () => {
    const { agent, invoiceId, newDueDate, caseUrl } = await defer(KARI);
    expect(await (await agent.get(caseUrl)).text()).toContain('Innvilget');

    await env.t.app.get(WritebackWorker).drain();

    const job = await jobFor(invoiceId);
    expect(job).toMatchObject({ status: 'done', lastError: null });
    expect(stored(invoiceId).documentDueDate).toBe(`${newDueDate}T00:00:00`);
    expect(parseMarks(String(stored(invoiceId).note)).map((m) => m.key)).toEqual([
      job.idempotencyKey,
    ]);
    expect(visma.store().appliedPerInvoice).toEqual({ [invoiceId]: 1 });
    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Den nye forfallsdatoen er registrert i økonomisystemet.',
    );
    // The invoice page reads Visma again: the new due date, the first one, and the change.
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

  it('leaves a write-back for an officer when Visma answers 412 twice (someone keeps editing the invoice): failed, not retried, nothing written', async () => {
    const { agent, invoiceId, caseUrl } = await defer(OLA);
    visma.faults.set({ mode: 'concurrent-change', paths: ['PUT '] });
    try {
      await env.t.app.get(WritebackWorker).drain();
    } finally {
      visma.faults.set({ mode: 'none' });
    }

    const job = await jobFor(invoiceId);
    expect(job).toMatchObject({ status: 'failed', lastError: 'rejected:CHANGED_CONCURRENTLY' });
    expect(job.attempts).toBe(1);
    expect(visma.store().appliedPerInvoice[invoiceId]).toBeUndefined();
    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Vi fikk ikke registrert den nye datoen automatisk. En saksbehandler ordner det, og utsettelsen gjelder.',
    );
  });
});
