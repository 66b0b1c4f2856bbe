import { randomInt, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { saltedSha256 } from '../../src/audit/salted-hash';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { findUnauditedWritebacks } from '../../src/audit/verify/writeback-audit-coverage';
import { importIntoLedger } from '../../src/finance/ledger/ledger-import';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { addDays } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackService } from '../../src/writeback/writeback.service';
import { WritebackWorker } from '../../src/writeback/writeback.worker';
import { CookieAgent } from '../support/cookie-agent';
import { residentWithStory, syntheticPid, type ResidentLedger } from '../support/resident-factory';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/saksbehandler/tilbakeskriving';
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const newReference = () => {
  const part = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `UTS-${part()}-${part()}`;
};

interface FailedFixture {
  job: WritebackJob;
  reference: string;
  resident: ResidentLedger;
  invoiceId: string;
}

/**
 * Officers' follow-up of write-backs that failed for good, on the real portal and its embedded
 * ledger. The worker is off on this portal: each test runs it with `drain()`, so no retry is
 * taken up behind a test's back (two officers' retries must meet a job that is still pending).
 */
describe('Failed write-backs: the officers\u2019 list, retry and resolved by hand (e2e)', () => {
  let env: PortalWithStaff;
  let worker: WritebackWorker;
  let residents = 0;

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_WORKER: 'off', RATE_LIMIT_PER_MINUTE: '100000' });
    worker = env.t.app.get(WritebackWorker);
  });
  afterAll(() => env?.close());

  const em = () => env.t.em();
  const jobOf = (id: string) => em().findOneOrFail(WritebackJob, id);
  const entriesAbout = (job: WritebackJob) =>
    em().find(
      AuditEntry,
      { municipalityId: job.municipalityId, subjectId: job.deferralRequestId },
      { orderBy: { seq: 'asc' } },
    );

  /** A resident with an open and a paid invoice in the municipality's ledger (or not yet there). */
  async function resident(municipality: Municipality, inLedger = true): Promise<ResidentLedger> {
    const entry = residentWithStory(syntheticPid(9_000 + residents++), 'plainPayer', {
      municipality: municipality.slug,
      prefix: `wbf-${randomUUID().slice(0, 8)}`,
    });
    if (inLedger) await importIntoLedger(em(), municipality.id, [entry]);
    return entry;
  }

  /**
   * A write-back that failed for good: for a paid invoice (refused at once), or for an open one
   * the ledger does not hold yet (not found, until it is imported).
   */
  async function failedJob(
    municipality: Municipality,
    kind: 'paid' | 'missing',
  ): Promise<FailedFixture> {
    const entry = await resident(municipality, kind === 'paid');
    const invoice = entry.invoices.find((i) => i.status === (kind === 'paid' ? 'PAID' : 'UNPAID'))!;
    const reference = newReference();
    const job = await em().transactional(async (tx) =>
      env.t.app.get(WritebackService).enqueue(tx, {
        municipalityId: municipality.id,
        deferralRequestId: randomUUID(),
        invoiceId: invoice.id,
        pid: entry.pid,
        newDueDate: addDays(invoice.dueDate, 30),
        reason: `Betalingsutsettelse ${reference}`,
      }),
    );
    await worker.drain();
    const failed = await jobOf(job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: kind === 'paid' ? 'rejected:INVOICE_PAID' : 'not-found:invoice',
    });
    return { job: failed, reference, resident: entry, invoiceId: invoice.id };
  }

  /** Posts one of a row's forms with the list page's CSRF token. */
  async function post(
    agent: CookieAgent,
    jobId: string,
    action: 'prov-igjen' | 'lost-manuelt',
    form: Record<string, string> = {},
  ): Promise<Response> {
    const page = await (await agent.get(BASE)).text();
    return agent.postForm(`${BASE}/${jobId}/${action}`, {
      _csrf: CookieAgent.csrfToken(page),
      ...form,
    });
  }

  /** The table row of a job on the list page. */
  function rowOf(html: string, jobId: string): string {
    const start = html.indexOf(`id="job-${jobId}"`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</tr>', start));
  }

  it('shows an empty list when nothing failed', async () => {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const res = await officer.get(BASE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Ingen tilbakeskrivinger har feilet');
    expect(html).not.toContain('<table');
  });

  it('lists a failed write-back with its error in plain language, a link to its case, and never the identity number', async () => {
    const { job, reference, resident: ola, invoiceId } = await failedJob(env.a, 'paid');
    const officer = await loginAsStaff(env.t.url, 'officer');
    const res = await officer.get(BASE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<table[^>]*class="ds-table[^"]*"[\s\S]*?<caption/);
    expect(html).toContain('<th scope="col"');
    const row = rowOf(html, job.id);
    expect(row).toContain(`href="/saksbehandler/saker/${job.deferralRequestId}"`);
    expect(row).toContain(reference);
    expect(row).toContain(invoiceId);
    expect(row).toContain('fakturaen er allerede betalt');
    expect(row).toContain('rejected:INVOICE_PAID');
    // Each button says which case it acts on, for a screen reader too.
    expect(row).toMatch(new RegExp(`Prøv igjen<span class="ds-sr-only">[^<]*${reference}`));
    expect(row).toMatch(new RegExp(`<label[^>]*for="note-${job.id}"`));
    expect(html).not.toContain(ola.pid);
    // One municipality: no municipality column, no filter.
    expect(html).not.toContain('name="kommune"');
    // In English too.
    const english = await (await officer.get(BASE, { 'accept-language': 'en' })).text();
    expect(rowOf(english, job.id)).toContain('the invoice has already been paid');
  });

  it('retries a job that failed, and the worker writes it back once the invoice is there, audited', async () => {
    const { job, resident: kari, invoiceId } = await failedJob(env.a, 'missing');
    const officer = await loginAsStaff(env.t.url, 'officer');
    expect(rowOf(await (await officer.get(BASE)).text(), job.id)).toContain('fant ikke fakturaen');

    // The fault goes away: the invoice reaches the finance system.
    await importIntoLedger(em(), env.a.id, [kari]);
    const before = Date.now();
    const retried = await post(officer, job.id, 'prov-igjen');
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe(`${BASE}?ok=retried`);
    const pending = await jobOf(job.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, retryBaseAttempts: 1 });
    expect(pending.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const listed = await (await officer.get(`${BASE}?ok=retried`)).text();
    expect(listed).toContain('lagt i kø igjen');
    expect(listed).not.toContain(`id="job-${job.id}"`);

    await worker.drain();
    const done = await jobOf(job.id);
    expect(done).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    const ledger = await em().findOneOrFail(LedgerInvoice, invoiceId);
    expect(ledger.dueDate).toBe(job.newDueDate);
    const entries = await entriesAbout(job);
    expect(entries.map((e) => e.type)).toEqual([
      'writeback.failed',
      'writeback.retried',
      'writeback.succeeded',
    ]);
    expect(entries[1].payload).toEqual({
      jobId: job.id,
      actor: 'staff:demo-officer-siri',
      name: 'Siri Saksbehandler',
      previousError: 'not-found:invoice',
      attempts: 1,
      // Refused before: the retry goes out under a key of its own, or the answer would replay.
      idempotencyKey: `deferral-${job.deferralRequestId}-retry-1`,
    });
  });

  it('marks a failed job resolved by hand with the officer\u2019s note, audited and listed below', async () => {
    const { job, reference } = await failedJob(env.a, 'paid');
    const officer = await loginAsStaff(env.t.url, 'officer');
    const note = 'Fakturaen var betalt; avtalt med innbyggeren på telefon, ingen endring trengs.';
    const resolved = await post(officer, job.id, 'lost-manuelt', { note: `  ${note}\n` });
    expect(resolved.status).toBe(303);
    expect(resolved.headers.get('location')).toBe(`${BASE}?ok=resolved`);
    const stored = await jobOf(job.id);
    expect(stored).toMatchObject({
      status: 'resolved_by_hand',
      resolvedBy: 'staff:demo-officer-siri',
      resolvedByName: 'Siri Saksbehandler',
      resolvedNote: note,
      lastError: 'rejected:INVOICE_PAID',
    });
    expect(stored.completedAt).toBeInstanceOf(Date);
    const entries = await entriesAbout(job);
    expect(entries.map((e) => e.type)).toEqual(['writeback.failed', 'writeback.resolved_by_hand']);
    // The note stays with the job; the chain holds its hash under the job's own salt.
    expect(entries[1].payload).toEqual({
      jobId: job.id,
      actor: 'staff:demo-officer-siri',
      name: 'Siri Saksbehandler',
      noteSha256: saltedSha256(stored.auditSalt!, note),
      previousError: 'rejected:INVOICE_PAID',
      newDueDate: job.newDueDate,
    });
    expect(JSON.stringify(entries[1].payload)).not.toContain('innbyggeren på telefon');

    const html = await (await officer.get(`${BASE}?ok=resolved`)).text();
    expect(html).toContain('markert som løst manuelt');
    expect(html).not.toContain(`id="job-${job.id}"`);
    const resolvedRow = rowOf(html, `${job.id}-resolved`);
    expect(resolvedRow).toContain(reference);
    expect(resolvedRow).toContain('Siri Saksbehandler');
    expect(resolvedRow).toContain(note);

    // Resolved is final: neither form acts on it any more.
    expect((await post(officer, job.id, 'prov-igjen')).status).toBe(409);
    expect((await post(officer, job.id, 'lost-manuelt', { note: 'igjen' })).status).toBe(409);
    expect(await entriesAbout(job)).toHaveLength(2);
  });

  it('refuses an empty or too long note with 400 beside the row\u2019s note field, and changes nothing', async () => {
    const { job } = await failedJob(env.a, 'paid');
    const officer = await loginAsStaff(env.t.url, 'officer');
    for (const [note, message] of [
      ['   ', 'Skriv hva du gjorde i økonomisystemet'],
      ['x'.repeat(1_001), 'høyst 1000 tegn'],
    ]) {
      const refused = await post(officer, job.id, 'lost-manuelt', { note });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('class="ds-error-summary"');
      expect(html).toContain(`href="#note-${job.id}"`);
      const row = rowOf(html, job.id);
      expect(row).toContain(`id="note-${job.id}-error"`);
      expect(row).toContain(message);
      expect(row).toMatch(/aria-invalid="true"/);
    }
    // No note at all is refused the same way.
    expect((await post(officer, job.id, 'lost-manuelt')).status).toBe(400);
    expect(await jobOf(job.id)).toMatchObject({ status: 'failed', resolvedNote: null });
    expect((await entriesAbout(job)).map((e) => e.type)).toEqual(['writeback.failed']);
  });

  it('retries once when two officers click at once, and counts the attempt limit afresh', async () => {
    const { job } = await failedJob(env.a, 'paid');
    const officer = await loginAsStaff(env.t.url, 'officer');
    const dual = await loginAsStaff(env.t.url, 'dual');
    const tokens = await Promise.all(
      [officer, dual].map(async (agent) =>
        CookieAgent.csrfToken(await (await agent.get(BASE)).text()),
      ),
    );
    // Several clicks of each at the same moment: only one of them may retry the job.
    const answers = await Promise.all(
      [officer, dual, officer, dual, officer, dual].map((agent, i) =>
        agent.postForm(`${BASE}/${job.id}/prov-igjen`, { _csrf: tokens[i % 2] }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409, 409, 409, 409]);
    const conflict = answers.find((a) => a.status === 409)!;
    expect(await conflict.text()).toContain('har ikke status «feilet» lenger');
    const retried = (await entriesAbout(job)).filter((e) => e.type === 'writeback.retried');
    expect(retried).toHaveLength(1);
    expect(await jobOf(job.id)).toMatchObject({ status: 'pending', retryBaseAttempts: 1 });

    // The finance system answers the same key as before: failed again, on its second attempt.
    await worker.drain();
    const again = await jobOf(job.id);
    expect(again).toMatchObject({ status: 'failed', attempts: 2, retryBaseAttempts: 1 });
    expect(again.failedAt!.getTime()).toBeGreaterThan(job.failedAt!.getTime());
    expect(rowOf(await (await officer.get(BASE)).text(), job.id)).toContain(
      'rejected:INVOICE_PAID',
    );
  });

  it('keeps another municipality\u2019s failures from an officer who does not serve it (404), and shows both to one who serves both', async () => {
    const inB = await failedJob(env.b, 'paid');
    const inA = await failedJob(env.a, 'paid');
    const officer = await loginAsStaff(env.t.url, 'officer');
    const list = await (await officer.get(BASE)).text();
    expect(list).not.toContain(inB.job.id);
    expect(list).not.toContain(inB.reference);
    const retry = await post(officer, inB.job.id, 'prov-igjen');
    expect(retry.status).toBe(404);
    expect(await retry.text()).toContain('Fant ikke denne tilbakeskrivingen');
    expect((await post(officer, inB.job.id, 'lost-manuelt', { note: 'Ordnet' })).status).toBe(404);
    expect((await post(officer, randomUUID(), 'prov-igjen')).status).toBe(404);
    expect(await jobOf(inB.job.id)).toMatchObject({ status: 'failed', resolvedNote: null });
    expect((await entriesAbout(inB.job)).map((e) => e.type)).toEqual(['writeback.failed']);
    // Not a job id at all.
    expect((await post(officer, 'not-a-uuid', 'prov-igjen')).status).toBe(400);

    // The officer of the IT cooperation serves A and B: both, with a municipality column and filter.
    const dual = await loginAsStaff(env.t.url, 'dual');
    const both = await (await dual.get(BASE)).text();
    expect(rowOf(both, inA.job.id)).toContain(env.a.name);
    expect(rowOf(both, inB.job.id)).toContain(env.b.name);
    expect(both).toMatch(/<select[^>]*name="kommune"/);
    const onlyB = await (await dual.get(`${BASE}?kommune=${env.b.slug}`)).text();
    expect(onlyB).toContain(`id="job-${inB.job.id}"`);
    expect(onlyB).not.toContain(`id="job-${inA.job.id}"`);
    // Signed in on A, they may still act on B's job: they serve B too.
    expect((await post(dual, inB.job.id, 'prov-igjen')).status).toBe(303);
    expect(await jobOf(inB.job.id)).toMatchObject({ status: 'pending' });
  });

  it('answers auditors and approvers 403, and sends residents and visitors to the staff login', async () => {
    const { job } = await failedJob(env.a, 'paid');
    for (const persona of ['auditor', 'approver'] as const) {
      const agent = await loginAsStaff(env.t.url, persona);
      expect((await agent.get(BASE)).status).toBe(403);
      expect((await post(agent, job.id, 'prov-igjen')).status).toBe(403);
      expect((await post(agent, job.id, 'lost-manuelt', { note: 'Ordnet' })).status).toBe(403);
    }
    const residentAgent = await loginAs(env.t.url, (await resident(env.a)).pid);
    const visitor = new CookieAgent(env.t.url);
    for (const agent of [residentAgent, visitor]) {
      const page = await agent.get(BASE);
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe(
        `/saksbehandler/logg-inn?return=${encodeURIComponent(BASE)}`,
      );
    }
    expect(await jobOf(job.id)).toMatchObject({ status: 'failed' });
    expect((await entriesAbout(job)).map((e) => e.type)).toEqual(['writeback.failed']);
  });

  it('leaves every audit chain sound and every finished write-back audited', async () => {
    const orm = env.t.app.get(MikroORM);
    for (const municipality of [env.a, env.b]) {
      expect(await new AuditVerifier(orm.em.fork()).verify(municipality.id)).toMatchObject({
        ok: true,
      });
      expect(await findUnauditedWritebacks(orm.em.fork(), municipality.id)).toEqual({
        count: 0,
        first: [],
      });
    }
  });
});
