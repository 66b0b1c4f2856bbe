import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { ReceiptMailJob } from '../../src/mail/receipt-mail-job.entity';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { syntheticPids } from '../../dev/synthetic-pids';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';

const SMTP_TIMEOUT_MS = 2_000;

/** Receipts go through an outbox: the resident's request never waits for the mail server. */
describe('Receipt e-mails (e2e)', () => {
  let env: PortalWithIdporten;
  let smtp: SmtpSink;
  let municipality: Municipality;
  let residents: { pid: string; invoiceId: string }[];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithIdporten({
      SMTP_URL: smtp.url,
      SMTP_TIMEOUT_MS: String(SMTP_TIMEOUT_MS),
      MAIL_POLL_MS: '100',
      MAIL_BACKOFF_MS: '50',
      MAIL_MAX_ATTEMPTS: '3',
      WRITEBACK_POLL_MS: '60000',
    });
    municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    const pids = syntheticPids(3, seededRandom(23));
    const entries = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      pids.map((pid, i) => ({ pid, name: `Innbygger ${i}`, municipality: 'fjordvik' as const })),
      'mail',
    );
    residents = entries.map((entry) => ({
      pid: entry.pid,
      invoiceId: entry.invoices.find((i) => i.status === 'UNPAID')!.id,
    }));
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
  });
  afterEach(() => {
    smtp.mode = 'accept';
  });

  /** Logs the resident in and asks for a deferral with an e-mail address; times the answer. */
  async function deferWithEmail(index: number, email: string) {
    const { pid, invoiceId } = residents[index];
    const agent = await loginAs(env.t.url, pid);
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const options = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
      CookieAgent.csrfToken(html);
    const started = Date.now();
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: csrf,
      newDueDate: options[3],
      email,
    });
    const elapsedMs = Date.now() - started;
    const request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId });
    return { res, elapsedMs, request };
  }

  const jobOf = (request: DeferralRequest) =>
    env.t.em().findOneOrFail(ReceiptMailJob, { subjectId: request.id });

  async function settled(request: DeferralRequest, timeoutMs = 15_000): Promise<ReceiptMailJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await jobOf(request);
      if (job.status === 'sent' || job.status === 'failed') return job;
      if (Date.now() > deadline)
        throw new Error(`receipt still ${job.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('answers at once while the mail server hangs, and sends the receipt once it is back', async () => {
    smtp.mode = 'stall';
    const { res, elapsedMs, request } = await deferWithEmail(0, 'stalled@example.org');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/saker/${request.reference}`);
    // Well under one SMTP time-out: the request did not wait for the server at all.
    expect(elapsedMs).toBeLessThan(SMTP_TIMEOUT_MS / 2);

    // The worker has tried (its connection hangs); nothing has been sent or lost.
    const deadline = Date.now() + 5_000;
    while (smtp.connections === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(smtp.connections).toBeGreaterThan(0);
    expect(await jobOf(request)).toMatchObject({ status: 'in_progress', attempts: 1 });

    smtp.mode = 'accept';
    const mail = await smtp.waitFor('stalled@example.org', 15_000);
    expect(decodeQuotedPrintable(mail.raw)).toContain(request.reference);
    // It names the decision's audit entry: its seq and whole hash, as the case page does.
    const entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'deferral.decided' });
    expect(decodeQuotedPrintable(mail.raw)).toContain(
      `Oppføring nr. ${entry.seq}, kontrollsum ${entry.hash}`,
    );
    const job = await settled(request);
    expect(job).toMatchObject({ status: 'sent', lastError: null });
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    expect(job.sentAt).toBeInstanceOf(Date);
  }, 30_000);

  it('marks a receipt failed and audits it after the last try, when the server keeps refusing for now', async () => {
    smtp.mode = 'tempfail';
    const { res, request } = await deferWithEmail(1, 'later@example.org');
    expect(res.status).toBe(303);
    const job = await settled(request);
    expect(job).toMatchObject({ status: 'failed', attempts: 3 });
    expect(job.lastError).toMatch(/^smtp-failed:.*451/);
    const entries = await env.t
      .em()
      .find(
        AuditEntry,
        { subjectId: request.id, type: { $in: ['deferral.decided', 'receipt.failed'] } },
        { orderBy: { seq: 'asc' } },
      );
    expect(entries.map((e) => e.type)).toEqual(['deferral.decided', 'receipt.failed']);
    expect(entries[1].payload).toMatchObject({
      mailJobId: job.id,
      reference: request.reference,
      attempts: 3,
    });
    expect(JSON.stringify(entries[1].payload)).not.toContain('later@example.org');
    expect(smtp.messages.filter((m) => m.to.includes('later@example.org'))).toEqual([]);
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });
  }, 30_000);

  it('gives up at once when the server refuses the address for good (550)', async () => {
    smtp.mode = 'reject';
    const { res, request } = await deferWithEmail(2, 'nobody@example.org');
    expect(res.status).toBe(303);
    const job = await settled(request);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.lastError).toMatch(/^smtp-failed:.*550/);
    expect(
      await env.t.em().count(AuditEntry, { subjectId: request.id, type: 'receipt.failed' }),
    ).toBe(1);
  }, 30_000);
});
