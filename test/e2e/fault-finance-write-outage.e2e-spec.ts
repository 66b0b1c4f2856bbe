import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { syntheticPids } from '../../dev/synthetic-pids';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { financeAdmin } from '../../src/writeback/testing/writeback-test-node';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { residentWithStory } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';

const API_KEY = 'write-outage-e2e-finance-key';
const RESIDENTS = syntheticPids(6, seededRandom(1011)).map((pid, i) => ({
  pid,
  name: `Beboer ${i}`,
  municipality: 'fjordvik' as const,
}));

/**
 * The finance system answers 500 to every PUT while its GETs work: write-backs fail, but
 * residents must still get their instant decisions, which only read.
 */
describe('Instant decisions while the finance system refuses writes (e2e)', () => {
  let finance: RunningFinanceServer;
  let env: PortalWithIdporten;

  beforeAll(async () => {
    const today = todayInNorway();
    finance = await startFinanceServer({
      apiKey: API_KEY,
      today,
      ledger: RESIDENTS.map((r) =>
        residentWithStory(r.pid, 'plainPayer', {
          today,
          name: r.name,
          municipality: r.municipality,
        }),
      ),
    });
    // The portal's own breaker and retry settings (a write-back is tried 3 times per attempt);
    // a 1 ms backoff lets failed jobs come due again at once.
    env = await startPortalWithIdporten({
      FINANCE_API_KEY: API_KEY,
      WRITEBACK_BACKOFF_MS: '1',
      WRITEBACK_POLL_MS: '200',
    });
    await createMunicipality(env.t.em(), {
      slug: 'fjordvik',
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'http', financeBaseUrl: finance.url },
    });
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await finance?.close();
  });

  const state = () => financeAdmin(finance.url, API_KEY, '/admin/state');
  const jobs = () => env.t.em().find(WritebackJob, {}, { orderBy: { createdAt: 'asc' } });

  async function decide(agent: CookieAgent, invoiceId: string): Promise<string> {
    const page = await agent.get(`/fakturaer/${invoiceId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = html.slice(html.indexOf('utsettelse'));
    const options = [...form.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(form),
      newDueDate: options[Math.min(5, options.length - 1)],
    });
    expect(res.status).toBe(303);
    return res.headers.get('location')!;
  }

  it('decides for residents one after another while write-backs fail, and loses no write-back', async () => {
    await financeAdmin(finance.url, API_KEY, '/admin/faults', {
      mode: 'error500',
      paths: ['PUT '],
    });
    const worker = env.t.app.get(WritebackWorker);
    const decided: { agent: CookieAgent; caseUrl: string }[] = [];

    for (const [resident, { pid }] of RESIDENTS.entries()) {
      const agent = await loginAs(env.t.url, pid);
      const list = await agent.get('/fakturaer');
      expect({ resident, status: list.status }).toEqual({ resident, status: 200 });
      const open = finance
        .store()
        .list('fjordvik', pid)
        .find((i) => i.status === 'UNPAID')!;
      const caseUrl = await decide(agent, open.id);
      const receipt = await (await agent.get(caseUrl)).text();
      expect(receipt).toContain('Innvilget');
      decided.push({ agent, caseUrl });
      // Every due write-back is tried now and fails (three tries each, retried while due):
      // enough failed PUTs to open the write circuit before the next resident arrives.
      await worker.drain();
    }

    // The jobs wait for (or are in) another attempt: none lost, none failed for good, none written.
    const requests = await env.t.em().find(DeferralRequest, {});
    expect(requests.map((r) => r.outcome)).toEqual(Array(RESIDENTS.length).fill('approved'));
    const waiting = await jobs();
    expect(waiting.map((j) => j.deferralRequestId).sort()).toEqual(
      requests.map((r) => r.id).sort(),
    );
    for (const job of waiting) {
      expect(job).toMatchObject({
        status: expect.stringMatching(/^(pending|in_progress)$/),
        completedAt: null,
      });
      expect(job.attempts).toBeGreaterThanOrEqual(1);
      expect(job.lastError).toMatch(/^unavailable:(server-error|circuit-open)$/);
    }
    // Jobs were retried until the failed writes opened the write circuit, which held back the rest.
    expect(waiting.some((j) => j.attempts >= 2)).toBe(true);
    expect(waiting.some((j) => j.lastError === 'unavailable:circuit-open')).toBe(true);
    expect((await state()).appliedPerInvoice).toEqual({});
    for (const { agent, caseUrl } of decided) {
      expect(await (await agent.get(caseUrl)).text()).toContain(
        'Den nye datoen blir registrert i økonomisystemet nå.',
      );
    }

    // Once writes are accepted again (after the write circuit's 15 s pause), each is written once.
    await financeAdmin(finance.url, API_KEY, '/admin/faults', { mode: 'none' });
    while ((await jobs()).some((j) => j.status !== 'done')) {
      expect((await jobs()).every((j) => j.status !== 'failed')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const applied = (await state()).appliedPerInvoice;
    expect(Object.keys(applied).sort()).toEqual(waiting.map((j) => j.invoiceId).sort());
    expect(Object.values(applied)).toEqual(Array(RESIDENTS.length).fill(1));
  }, 90_000);
});
