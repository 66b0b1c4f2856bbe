import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { findUnauditedWritebacks } from '../../src/audit/verify/writeback-audit-coverage';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PersonalDataRemoval } from '../../src/deferrals/personal-data/personal-data-removal';
import { ReceiptMailJob } from '../../src/mail/receipt-mail-job.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { maskNationalId } from '../../src/shared/national-identity-number';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { financeAdmin } from '../../src/writeback/testing/writeback-test-node';
import { HandoverCheckScheduler } from '../../src/writeback/writeback-handover.scheduler';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackService } from '../../src/writeback/writeback.service';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { CookieAgent } from '../support/cookie-agent';
import { residentWithStory, syntheticPid, type ResidentLedger } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const API_KEY = 'handover-e2e-finance-key';
const FINANCE_TEAM = 'okonomi@nordby.example.no';
const PAGE = '/saksbehandler/tilbakeskriving';

/**
 * A municipality whose finance system has no write path: the dev finance server, read through the
 * http adapter, with `financeWritesDueDates: false`. Approved due dates become tasks for the
 * finance team (the officers' page and a letter to their mailbox) and close when a read of the
 * invoice shows the new date, when an officer marks them registered, or when the invoice is paid
 * first. The worker is off: each test drives it (`drain`) and the check (`round`) itself.
 */
describe('Hand-over of due dates to a finance team whose system cannot take them (e2e)', () => {
  let finance: RunningFinanceServer;
  let smtp: SmtpSink;
  let env: PortalWithStaff;
  let slug: string;
  const today = todayInNorway();
  const residents = [0, 1, 2, 3].map((n) =>
    residentWithStory(syntheticPid(7_100 + n), 'openInvoicePayer', {
      today,
      name: `Beboer ${n}`,
      municipality: 'nordby',
      prefix: `ho${n}`,
    }),
  );

  beforeAll(async () => {
    finance = await startFinanceServer({ apiKey: API_KEY, today, ledger: residents });
    smtp = await startSmtpSink();
    env = await startPortalWithStaff({
      FINANCE_API_KEY: API_KEY,
      SMTP_URL: smtp.url,
      WRITEBACK_WORKER: 'off',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    slug = env.a.slug;
    expect(slug).toBe('nordby');
    const em = env.t.em();
    const a = await em.findOneOrFail(Municipality, env.a.id);
    a.settings = {
      ...a.settings,
      financeAdapter: 'http',
      financeBaseUrl: finance.url,
      financeWritesDueDates: false,
      cases: { handoverEmail: FINANCE_TEAM },
    };
    await em.flush();
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
    await finance?.close();
  });

  const worker = () => env.t.app.get(WritebackWorker);
  const check = () => env.t.app.get(HandoverCheckScheduler).round();
  const jobFor = (request: DeferralRequest) =>
    env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: request.id });
  const entriesAbout = (request: DeferralRequest) =>
    env.t
      .em()
      .find(
        AuditEntry,
        { municipalityId: request.municipalityId, subjectId: request.id },
        { orderBy: { seq: 'asc' } },
      );
  const openInvoiceOf = (resident: ResidentLedger) =>
    resident.invoices.find((i) => i.status === 'UNPAID')!;

  /** As the finance team would, outside the API: the admin hook of the dev finance server. */
  async function changeByHand(invoiceId: string, body: { forfallDato?: string; betalt?: true }) {
    const res = await fetch(`${finance.url}/admin/invoices/${slug}/${invoiceId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }

  /** The resident asks for a deferral the policy approves; the worker then hands it over. */
  async function approvedAndHandedOver(resident: ResidentLedger) {
    const agent = await loginAs(env.t.url, resident.pid);
    const invoice = openInvoiceOf(resident);
    const html = await (await agent.get(`/fakturaer/${invoice.id}`)).text();
    const form = html.slice(html.indexOf('utsettelse'));
    const options = [...form.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const res = await agent.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(form),
      newDueDate: options[Math.min(3, options.length - 1)],
    });
    expect(res.status).toBe(303);
    const caseUrl = res.headers.get('location')!;
    const request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId: invoice.id });
    expect(request.outcome).toBe('approved');
    await worker().drain();
    const job = await jobFor(request);
    expect(job).toMatchObject({ status: 'handed_over', newDueDate: request.newDueDate });
    return { agent, caseUrl, request, job, invoice };
  }

  async function officerPost(path: string): Promise<Response> {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const page = await (await officer.get(PAGE)).text();
    return officer.postForm(path, { _csrf: CookieAgent.csrfToken(page) });
  }

  function taskRow(html: string, jobId: string): string {
    const start = html.indexOf(`id="task-${jobId}"`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</tr>', start));
  }

  it('hands an approval over instead of writing it: a task for the officers, a letter to the finance team, "being registered" for the resident', async () => {
    const ola = residents[0];
    const { agent, caseUrl, request, job, invoice } = await approvedAndHandedOver(ola);

    // Nothing reached the finance system's write path.
    const state = await financeAdmin(finance.url, API_KEY, '/admin/state');
    expect(state.requests).not.toHaveProperty(['PUT /invoices/:id/due-date']);
    expect(state.appliedPerInvoice).toEqual({});
    expect(job.handedOverAt).toBeInstanceOf(Date);

    const entries = await entriesAbout(request);
    expect(entries.map((e) => e.type)).toEqual(['deferral.decided', 'writeback.handed_over']);
    expect(entries[1].payload).toMatchObject({
      jobId: job.id,
      invoiceId: invoice.id,
      newDueDate: request.newDueDate,
    });

    const letterJob = await env.t
      .em()
      .findOneOrFail(ReceiptMailJob, { subjectId: `${request.id}:handover` });
    expect(letterJob.recipient).toBe(FINANCE_TEAM);
    const mail = decodeQuotedPrintable((await smtp.waitFor(FINANCE_TEAM, 15_000)).raw);
    expect(mail).toContain(invoice.invoiceNumber);
    expect(mail).toContain(request.reference);
    expect(mail).toContain(maskNationalId(ola.pid));
    expect(mail).not.toContain(ola.pid);
    const dotted = (iso: string) => iso.split('-').reverse().join('.');
    expect(mail).toContain(`Forfallsdato nå: ${dotted(request.originalDueDate)}`);
    expect(mail).toContain(`Ny forfallsdato: ${dotted(request.newDueDate!)}`);
    expect(mail).toContain(`/saksbehandler/tilbakeskriving?kommune=${slug}#task-${job.id}`);

    const residentPage = await (await agent.get(caseUrl)).text();
    expect(residentPage).toContain('Den nye fristen blir registrert av kommunen.');

    const officer = await loginAsStaff(env.t.url, 'officer');
    const html = await (await officer.get(PAGE)).text();
    expect(html).toContain('Til registrering');
    const row = taskRow(html, job.id);
    expect(row).toContain(request.reference);
    expect(row).toContain(invoice.invoiceNumber);
    expect(row).toContain(`href="/saksbehandler/saker/${request.id}"`);
    expect(row).toContain('Ikke lest ennå');
    expect(row).toContain(`action="/saksbehandler/tilbakeskriving/${job.id}/registrert"`);
    expect(html).not.toContain(ola.pid);
    // Not a failure: the failed list is empty, and the dashboard counts none.
    expect(html).toContain('Ingen tilbakeskrivinger har feilet');
    const counts = await env.t.app
      .get(WritebackService)
      .failureCounts([env.a.id], new Date(Date.now() - 86_400_000));
    expect(counts.municipalities[0]).toMatchObject({ failedNow: 0 });
    expect(counts.municipalities[0].failedPerWeek.every((n) => n === 0)).toBe(true);
  });

  it('leaves the task open while the invoice shows the old date or cannot be read, and closes it once the finance system shows the new date', async () => {
    const { agent, caseUrl, request, job, invoice } = await approvedAndHandedOver(residents[1]);

    // Only this invoice's reads fail: failures of every read would open the adapter's circuit.
    await financeAdmin(finance.url, API_KEY, '/admin/faults', {
      mode: 'error500',
      paths: [`GET /invoices/${invoice.id}`],
    });
    await check();
    await financeAdmin(finance.url, API_KEY, '/admin/faults', { mode: 'none' });
    expect(await jobFor(request)).toMatchObject({ status: 'handed_over', checkedAt: null });

    await check();
    const unchanged = await jobFor(request);
    expect(unchanged).toMatchObject({
      status: 'handed_over',
      seenDueDate: request.originalDueDate,
    });
    expect(unchanged.checkedAt).toBeInstanceOf(Date);
    const officer = await loginAsStaff(env.t.url, 'officer');
    expect(taskRow(await (await officer.get(PAGE)).text(), job.id)).not.toContain('Ikke lest ennå');

    await changeByHand(invoice.id, { forfallDato: request.newDueDate! });
    const round = await check();
    expect(round).toMatchObject({ confirmed: 1 });
    const closed = await jobFor(request);
    expect(closed).toMatchObject({ status: 'done', seenDueDate: request.newDueDate });
    expect(closed.completedAt).toBeInstanceOf(Date);
    const entries = await entriesAbout(request);
    expect(entries.map((e) => e.type)).toEqual([
      'deferral.decided',
      'writeback.handed_over',
      'writeback.confirmed_by_read',
    ]);
    expect(entries[2].payload).toMatchObject({ jobId: job.id, dueDate: request.newDueDate });

    // A later round finds nothing open and audits nothing twice.
    await check();
    expect(await entriesAbout(request)).toHaveLength(3);

    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Den nye forfallsdatoen er registrert i økonomisystemet.',
    );
    const html = await (await officer.get(PAGE)).text();
    expect(html).not.toContain(`id="task-${job.id}"`);
    const closedRow = html.slice(html.indexOf(`id="task-${job.id}-closed"`));
    expect(closedRow).toContain('Den nye datoen ble lest i økonomisystemet');
  });

  it('closes a task an officer marks registered, audited with who, and refuses a second mark', async () => {
    const { agent, caseUrl, request, job } = await approvedAndHandedOver(residents[2]);

    const res = await officerPost(`${PAGE}/${job.id}/registrert`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${PAGE}?ok=registered`);
    const closed = await jobFor(request);
    expect(closed).toMatchObject({ status: 'registered_by_hand' });
    expect(closed.resolvedBy).toMatch(/^staff:/);
    const entries = await entriesAbout(request);
    expect(entries.map((e) => e.type)).toEqual([
      'deferral.decided',
      'writeback.handed_over',
      'writeback.registered_by_hand',
    ]);
    expect(entries[2].payload).toMatchObject({ jobId: job.id, actor: closed.resolvedBy });

    const again = await officerPost(`${PAGE}/${job.id}/registrert`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Oppgaven er ikke åpen lenger');
    expect(await entriesAbout(request)).toHaveLength(3);

    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Kommunen har registrert den nye forfallsdatoen i økonomisystemet.',
    );
  });

  it('closes a task as not needed when the invoice was paid first, from the check an officer starts on the page', async () => {
    const { agent, caseUrl, request, job, invoice } = await approvedAndHandedOver(residents[3]);
    await changeByHand(invoice.id, { betalt: true });

    const res = await officerPost(`${PAGE}/sjekk`);
    expect(res.status).toBe(303);
    // The first test's task is still open and read too; only this one closes.
    expect(res.headers.get('location')).toBe(`${PAGE}?ok=checked&lest=2&lukket=1`);
    expect(await jobFor(request)).toMatchObject({ status: 'not_needed' });
    const entries = await entriesAbout(request);
    expect(entries.map((e) => e.type)).toEqual([
      'deferral.decided',
      'writeback.handed_over',
      'writeback.not_needed',
    ]);
    expect(entries[2].payload).toMatchObject({ jobId: job.id, invoiceStatus: 'PAID' });

    const officer = await loginAsStaff(env.t.url, 'officer');
    const html = await (await officer.get(res.headers.get('location')!)).text();
    expect(html).toContain('Fakturaene er lest. Sjekket: 2. Lukket: 1.');
    expect(html).toContain('Ikke nødvendig: fakturaen ble betalt først');
    expect(await (await agent.get(caseUrl)).text()).toContain(
      'Fakturaen ble betalt før den nye fristen ble registrert',
    );
  });

  it('has an audit entry for every hand-over and every way one closed', async () => {
    const unaudited = await findUnauditedWritebacks(env.t.em(), env.a.id);
    expect(unaudited).toEqual({ count: 0, first: [] });
    const statuses = (await env.t.em().find(WritebackJob, { municipalityId: env.a.id }))
      .map((job) => job.status)
      .sort();
    expect(statuses).toEqual(['done', 'handed_over', 'not_needed', 'registered_by_hand']);
  });

  it('keeps the personal data of a case while its hand-over is open, and lets retention have the closed ones', async () => {
    const jobs = await env.t.em().find(WritebackJob, { municipalityId: env.a.id });
    const open = jobs.filter((job) => job.status === 'handed_over').map((j) => j.deferralRequestId);
    const closed = jobs
      .filter((job) => job.status !== 'handed_over')
      .map((j) => j.deferralRequestId);
    const expired = await env.t.app
      .get(PersonalDataRemoval)
      .expired(env.a.id, new Date(Date.now() + 86_400_000), 100);
    expect(expired.filter((id) => open.includes(id))).toEqual([]);
    expect([...expired].sort()).toEqual([...closed].sort());
  });
});
