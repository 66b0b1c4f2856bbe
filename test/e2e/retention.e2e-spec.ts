import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { newAuditSalt } from '../../src/audit/salted-hash';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { CaseMessage } from '../../src/deferrals/case-message.entity';
import { CaseWorkService } from '../../src/deferrals/case-work/case-work.service';
import { CasesService } from '../../src/deferrals/cases.service';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { ReceiptMailJob } from '../../src/mail/receipt-mail-job.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { RetentionService } from '../../src/retention/retention.service';
import { addDays } from '../../src/shared/calendar-date';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { WritebackService } from '../../src/writeback/writeback.service';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const SIRI = { actor: 'staff:demo-officer-siri', name: 'Siri Saksbehandler' };
const SIX_YEARS_AGO = new Date(Date.now() - 6 * 365.25 * 86_400_000);

/** Texts a person wrote: none may ever be in the audit chain, and the old ones must go. */
const TEXT = {
  message: 'RT-melding: jeg ble syk i mars og fikk ikke lønn.',
  question: 'RT-spørsmål: når kommer lønna di?',
  answer: 'RT-svar: lønna kommer den 20.',
  approval: 'RT-innvilget: vi har gitt deg litt ekstra tid.',
  rejection: 'RT-avslag: eiendomsskatten kan ikke utsettes mer i år.',
  note: 'RT-notat: fakturaen var kreditert, avtalt med Ingrid Eksempel på telefon.',
  recentMessage: 'RT-ny-melding: jeg ble permittert.',
};

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Retention: personal data removed after RETENTION_YEARS, the chain still verifying (e2e)', () => {
  let env: PortalWithStaff;
  let smtp: SmtpSink;
  let ingrid: CookieAgent;
  let work: CaseWorkService;
  let cases: CasesService;
  let template: DeferralRequest;
  const served = () => [env.a.id];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithStaff({
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '100',
      WRITEBACK_POLL_MS: '100',
    });
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
    const ledger = await seedLedgerFor(env.t.em(), env.a);
    env.t.refreshTenants();
    work = env.t.app.get(CaseWorkService);
    cases = env.t.app.get(CasesService);
    ingrid = await loginAs(env.t.url, INGRID);
    // Her property tax is above the automatic limit: the policy sends it to a person.
    const invoiceId = ledger
      .find((e) => e.pid === INGRID)!
      .invoices.find((i) => i.category === 'EIENDOMSSKATT')!.id;
    const html = await (await ingrid.get(`/fakturaer/${invoiceId}`)).text();
    const dates = [
      ...html.matchAll(/(?:<option |name="newDueDate"[^>]*)value="(\d{4}-\d{2}-\d{2})"/g),
    ];
    const asked = await ingrid.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dates[5][1],
      email: 'ingrid@example.test',
    });
    expect(asked.status).toBe(303);
    const reference = asked.headers.get('location')!.split('/').pop()!;
    template = await env.t.em().findOneOrFail(DeferralRequest, { reference });
    expect(template.status).toBe('awaiting_officer');
  });
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
  });

  /** Another case waiting for an officer, like Ingrid's, with a salt of its own. */
  let made = 0;
  async function reviewCase() {
    made += 1;
    const em = env.t.em();
    const { id: _id, ...fields } = template;
    const copy = em.create(DeferralRequest, {
      ...fields,
      reference: `UTS-RT-${String(made).padStart(4, '0')}`,
      invoiceId: `${template.invoiceId}-rt-${made}`,
      auditSalt: newAuditSalt(),
      sentToOfficerAt: new Date(),
      createdAt: new Date(),
    });
    await em.flush();
    return copy;
  }

  /** `count` cases like Ingrid's, rejected six years ago: closed and past the default period. */
  async function rejectedSixYearsAgo(count: number) {
    const old = await Promise.all(Array.from({ length: count }, () => reviewCase()));
    for (const r of old)
      await env.t.em().nativeUpdate(
        DeferralRequest,
        { id: r.id },
        {
          status: 'decided',
          outcome: 'rejected',
          decidedAt: SIX_YEARS_AGO,
          createdAt: SIX_YEARS_AGO,
        },
      );
    return old;
  }

  const fresh = (id: string) => env.t.em().findOneOrFail(DeferralRequest, { id });
  const jobOf = (id: string) => env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: id });
  const backdate = (id: string, decided: boolean) =>
    env.t
      .em()
      .nativeUpdate(
        DeferralRequest,
        { id },
        decided
          ? { createdAt: SIX_YEARS_AGO, decidedAt: SIX_YEARS_AGO }
          : { createdAt: SIX_YEARS_AGO },
      );

  it('removes the data of old closed requests only, audits each batch, and a second run does nothing', async () => {
    const origin = env.t.url;
    // Old, with everything a person can write: the resident's message, the officer's question,
    // her answer, the approval's message; written back.
    const old = template;
    expect(await cases.sendToOfficer(env.a.id, INGRID, old.reference, TEXT.message)).toBe(true);
    expect((await work.take(served(), old.id, SIRI)).ok).toBe(true);
    expect(
      (await work.askResident(served(), old.id, SIRI, { question: TEXT.question, origin })).ok,
    ).toBe(true);
    expect(await cases.answer(env.a.id, INGRID, old.reference, TEXT.answer)).toBe(true);
    expect(
      (
        await work.approve(served(), old.id, SIRI, {
          dueDate: old.requestedDueDate,
          message: TEXT.approval,
          origin,
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await until(
          () => jobOf(old.id),
          (j) => j.status === 'done',
        )
      ).status,
    ).toBe('done');

    // Old, approved, its write-back failed (the invoice is not in the ledger) and resolved by hand.
    const resolved = await reviewCase();
    await work.take(served(), resolved.id, SIRI);
    await work.approve(served(), resolved.id, SIRI, {
      dueDate: addDays(resolved.originalDueDate, 30),
      message: null,
      origin,
    });
    const failed = await until(
      () => jobOf(resolved.id),
      (j) => j.status === 'failed',
    );
    expect(failed.status).toBe('failed');
    const writeback = env.t.app.get(WritebackService);
    expect(await writeback.resolveByHand(failed.id, served(), SIRI, TEXT.note)).toBe(true);

    // Old, its write-back failed and still failed: closed, but retrying it needs the number.
    const stillFailed = await reviewCase();
    await work.take(served(), stillFailed.id, SIRI);
    await work.approve(served(), stillFailed.id, SIRI, {
      dueDate: addDays(stillFailed.originalDueDate, 30),
      message: null,
      origin,
    });
    const failedJob = await until(
      () => jobOf(stillFailed.id),
      (j) => j.status === 'failed',
    );

    // Recent: rejected with the officer's own text, after the resident's message.
    const recent = await reviewCase();
    expect(await cases.sendToOfficer(env.a.id, INGRID, recent.reference, TEXT.recentMessage)).toBe(
      true,
    );
    await work.take(served(), recent.id, SIRI);
    expect(
      (
        await work.reject(served(), recent.id, SIRI, {
          reason: TEXT.rejection,
          reasonCode: null,
          origin,
        })
      ).ok,
    ).toBe(true);

    // Old but open (waiting for an officer), and old but its write-back still pending.
    const open = await reviewCase();
    const pending = await reviewCase();
    const em = env.t.em();
    await em.nativeUpdate(
      DeferralRequest,
      { id: pending.id },
      { status: 'decided', outcome: 'approved', newDueDate: addDays(pending.originalDueDate, 30) },
    );
    em.create(WritebackJob, {
      municipalityId: env.a.id,
      deferralRequestId: pending.id,
      invoiceId: pending.invoiceId,
      pid: INGRID,
      newDueDate: addDays(pending.originalDueDate, 30),
      reason: `Betalingsutsettelse ${pending.reference}`,
      idempotencyKey: `deferral-${pending.id}`,
      nextAttemptAt: new Date(Date.now() + 365 * 86_400_000),
    });
    await em.flush();

    for (const id of [old.id, resolved.id, stillFailed.id]) await backdate(id, true);
    for (const id of [open.id, pending.id]) await backdate(id, false);
    await until(
      () => env.t.em().count(ReceiptMailJob, { status: { $in: ['pending', 'in_progress'] } }),
      (n) => n === 0,
    );
    expect(
      await env.t.em().count(ReceiptMailJob, { subjectId: { $like: `${old.id}%` } }),
    ).toBeGreaterThanOrEqual(2);

    // The chain never held the texts, only their salted hashes.
    const chainText = async () =>
      (await env.t.em().find(AuditEntry, {}, { orderBy: { seq: 'asc' } }))
        .map((e) => JSON.stringify(e.payload))
        .join('\n');
    const before = await chainText();
    for (const text of Object.values(TEXT))
      expect([text, before.includes(text)]).toEqual([text, false]);
    const [decidedEntry] = await env.t
      .em()
      .find(AuditEntry, { subjectId: old.id, type: 'case.decided' });
    expect(decidedEntry.payload.reasonSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(decidedEntry.payload).not.toHaveProperty('reason');

    const entriesBefore = await env.t.em().count(AuditEntry, { municipalityId: env.a.id });
    const retention = env.t.app.get(RetentionService);
    const run = await retention.run();
    expect(run).toMatchObject({ removed: 3, batches: 1 });

    // The old closed ones: no identity number, address, texts, salt, letters; the rest stays.
    for (const id of [old.id, resolved.id, stillFailed.id]) {
      const row = await fresh(id);
      expect(row).toMatchObject({
        pid: null,
        email: null,
        officerMessage: null,
        officerReason: null,
        auditSalt: null,
        // The invoice's title may hold an address (property tax, water): gone; its number stays.
        invoiceTitle: '',
        invoiceNumber: template.invoiceNumber,
        status: 'decided',
        outcome: 'approved',
      });
      expect(row.personalDataRemovedAt).toBeInstanceOf(Date);
      expect(row.facts).toEqual(template.facts);
      expect(row.reference).toMatch(/^UTS-/);
      const job = await jobOf(id);
      expect([job.pid, job.resolvedNote, job.auditSalt]).toEqual([null, null, null]);
      expect(await env.t.em().count(ReceiptMailJob, { subjectId: { $like: `${id}%` } })).toBe(0);
    }
    const messages = await env.t.em().find(CaseMessage, { deferralRequestId: old.id });
    expect(messages.map((m) => m.text)).toEqual([null, null]);
    expect((await jobOf(resolved.id)).status).toBe('resolved_by_hand');
    // A failed write-back without the number cannot be retried any more.
    expect(await writeback.retry(failedJob.id, served(), SIRI)).toBe(false);
    expect((await jobOf(stillFailed.id)).status).toBe('failed');

    // The recent, the open and the pending ones keep everything.
    const kept = await fresh(recent.id);
    expect(kept).toMatchObject({
      pid: INGRID,
      invoiceTitle: template.invoiceTitle,
      email: 'ingrid@example.test',
      officerMessage: TEXT.recentMessage,
      officerReason: TEXT.rejection,
      personalDataRemovedAt: null,
    });
    expect(kept.auditSalt).toMatch(/^[0-9a-f]{64}$/);
    for (const id of [open.id, pending.id])
      expect(await fresh(id)).toMatchObject({ pid: INGRID, personalDataRemovedAt: null });
    expect((await jobOf(pending.id)).pid).toBe(INGRID);

    // One entry for the batch, and the chain still verifies with the portal's own verifier.
    const [entry] = await env.t
      .em()
      .find(AuditEntry, { municipalityId: env.a.id, type: 'retention.personal_data_removed' });
    expect(entry.payload).toMatchObject({
      retentionYears: 5,
      count: 3,
      requestIds: expect.arrayContaining([old.id, resolved.id, stillFailed.id]),
    });
    expect(entry.payload.requestIds).toHaveLength(3);
    expect(entry.payload.oldestDecision).toBe(SIX_YEARS_AGO.toISOString());
    expect(await env.t.em().count(AuditEntry, { municipalityId: env.a.id })).toBe(
      entriesBefore + 1,
    );
    const verified = await env.t.app.get(AuditVerifier).verify(env.a.id);
    expect(verified.ok).toBe(true);
    const after = await chainText();
    for (const text of Object.values(TEXT))
      expect([text, after.includes(text)]).toEqual([text, false]);
    expect(after).not.toContain(INGRID);

    // A second run finds nothing and appends nothing.
    expect(await retention.run()).toMatchObject({ removed: 0, batches: 0 });
    expect(await env.t.em().count(AuditEntry, { municipalityId: env.a.id })).toBe(
      entriesBefore + 1,
    );

    // Ingrid no longer sees the old case; the recent one is still hers.
    const list = await (await ingrid.get('/saker')).text();
    expect(list).not.toContain(old.reference);
    expect(list).toContain(recent.reference);
    expect((await ingrid.get(`/saker/${old.reference}`)).status).toBe(404);

    // The officer's case page and the auditor's decision page say what happened, without a crash.
    const officer = await loginAsStaff(env.t.url, 'officer');
    const casePage = await officer.get(`/saksbehandler/saker/${old.id}`);
    expect(casePage.status).toBe(200);
    const caseHtml = await casePage.text();
    expect(caseHtml).toContain('Personopplysninger slettet');
    expect(caseHtml).toContain('etter oppbevaringstiden');
    for (const text of Object.values(TEXT)) expect(caseHtml).not.toContain(text);
    expect(caseHtml).not.toContain(template.invoiceTitle);
    expect(caseHtml).toContain(`<dd>${template.invoiceNumber}</dd>`);

    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const decisionPage = await auditor.get(`/revisjon/beslutninger/${old.id}?vis=fnr`);
    expect(decisionPage.status).toBe(200);
    const decisionHtml = await decisionPage.text();
    expect(decisionHtml).toMatch(
      /data-testid="personal-data-removed">Personopplysninger slettet [^<]*etter oppbevaringstiden/,
    );
    expect(decisionHtml).toContain('data-type="case.decided"');
    expect(decisionHtml).toContain('data-text-check="removed"');
    expect(decisionHtml).not.toContain(INGRID);
    for (const text of Object.values(TEXT)) expect(decisionHtml).not.toContain(text);
    expect(decisionHtml).not.toContain(template.invoiceTitle);
    expect(decisionHtml).toContain(`<dd>${template.invoiceNumber}</dd>`);
    // The auditors' search still finds it (by reference and period), the number shown masked.
    const from = addDays(SIX_YEARS_AGO.toISOString().slice(0, 10), -1);
    const search = await auditor.get(`/revisjon?fra=${from}&referanse=${old.reference}`);
    expect(search.status).toBe(200);
    expect(await search.text()).toContain(old.reference);
    const resolvedPage = await (await auditor.get(`/revisjon/beslutninger/${resolved.id}`)).text();
    expect(resolvedPage).toContain('Personopplysninger slettet');
    expect(resolvedPage).not.toContain(TEXT.note);

    // The recent decision shows its texts from the rows, each matching its entry's salted hash.
    const recentHtml = await (await auditor.get(`/revisjon/beslutninger/${recent.id}`)).text();
    expect(recentHtml).toContain(TEXT.rejection);
    expect(recentHtml).toContain(TEXT.recentMessage);
    expect(recentHtml.match(/data-text-check="matches"/g)).toHaveLength(2);
    expect(recentHtml).not.toContain('data-text-check="differs"');
    expect(recentHtml).not.toContain('Personopplysninger slettet');
  });
  it('removes each request once when two instances run the job at the same moment', async () => {
    const old = await rejectedSixYearsAgo(6);
    const entries = () =>
      env.t.em().find(AuditEntry, {
        municipalityId: env.a.id,
        type: 'retention.personal_data_removed',
      });
    const before = (await entries()).length;
    const retention = env.t.app.get(RetentionService);
    const runs = await Promise.all([retention.run(), retention.run()]);
    expect(runs[0].removed + runs[1].removed).toBe(6);
    const added = (await entries()).slice(before);
    const removedIds = added.flatMap((e) => e.payload.requestIds as string[]);
    expect(removedIds.sort()).toEqual(old.map((r) => r.id).sort());
    expect((await env.t.app.get(AuditVerifier).verify(env.a.id)).ok).toBe(true);
  });
  it("keeps a municipality's data for its own retention period (settings.retention.years)", async () => {
    const old = await rejectedSixYearsAgo(2);
    const setRetention = async (retention: { years?: number } | undefined) => {
      const em = env.t.em();
      const municipality = await em.findOneOrFail(Municipality, { id: env.a.id });
      const { retention: _old, ...rest } = municipality.settings;
      municipality.settings = retention ? { ...rest, retention } : rest;
      await em.flush();
      env.t.refreshTenants();
    };
    const retention = env.t.app.get(RetentionService);
    try {
      // Its archive plan says seven years: six-year-old decisions keep everything.
      await setRetention({ years: 7 });
      const kept = await retention.run();
      expect(kept.removed).toBe(0);
      expect(kept.municipalities.find((m) => m.municipalityId === env.a.id)).toMatchObject({
        years: 7,
        removed: 0,
      });
      for (const r of old)
        expect(await fresh(r.id)).toMatchObject({ pid: INGRID, personalDataRemovedAt: null });

      // Shortened to six: they go, and the audit entry says which period removed them.
      await setRetention({ years: 6 });
      const run = await retention.run(new Date(SIX_YEARS_AGO.getTime() + 6 * 366 * 86_400_000));
      expect(run.removed).toBe(2);
      for (const r of old)
        expect(await fresh(r.id)).toMatchObject({
          pid: null,
          personalDataRemovedAt: expect.any(Date),
        });
      const [entry] = await env.t
        .em()
        .find(
          AuditEntry,
          { municipalityId: env.a.id, type: 'retention.personal_data_removed' },
          { orderBy: { seq: 'desc' }, limit: 1 },
        );
      expect(entry.payload).toMatchObject({ retentionYears: 6, count: 2 });
      expect((await env.t.app.get(AuditVerifier).verify(env.a.id)).ok).toBe(true);
    } finally {
      await setRetention(undefined);
    }
  });

  it('lets an operator set the period on their page: a shorter one that removes data only once confirmed, each change audited', async () => {
    const BASE = '/saksbehandler/drift/oppbevaring';
    const retention = env.t.app.get(RetentionService);
    const settingsNow = async () =>
      (await env.t.em().findOneOrFail(Municipality, { id: env.a.id })).settings.retention;
    const changes = () =>
      env.t
        .em()
        .find(
          AuditEntry,
          { municipalityId: env.a.id, type: 'settings.retention_changed' },
          { orderBy: { seq: 'asc' } },
        );
    // Whatever earlier tests left past the default five years goes first; then seven years, and
    // three cases decided six years ago, which seven years keeps.
    await retention.run();
    await env.t.em().nativeUpdate(
      Municipality,
      { id: env.a.id },
      {
        settings: {
          ...(await env.t.em().findOneOrFail(Municipality, env.a.id)).settings,
          retention: { years: 7 },
        },
      },
    );
    env.t.refreshTenants();
    const old = await rejectedSixYearsAgo(3);
    const operator = await loginAsStaff(env.t.url, 'operator');
    const post = async (fields: Record<string, string>, slug = 'nordby') => {
      const page = await (await operator.get(BASE)).text();
      return operator.postForm(`${BASE}/${slug}`, {
        _csrf: CookieAgent.csrfToken(page),
        ...fields,
      });
    };
    const section = (html: string) => html.slice(html.indexOf('data-testid="retention-nordby"'));

    const shown = section(await (await operator.get(BASE)).text());
    expect(shown).toContain('7 år (kommunens valg)');
    expect(shown).toMatch(/data-testid="due">0</);

    // Not a number of years from 1 to 100: refused, said at the field, nothing saved.
    for (const years of ['ti', '0', '101', '2.5']) {
      const refused = await post({ years });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('data-testid="error-summary"');
      expect(html).toContain('href="#nordby-years"');
      expect(html).toContain('aria-invalid="true"');
      expect(html).toContain(`value="${years}"`);
    }
    expect(await settingsNow()).toEqual({ years: 7 });

    // Five years would remove the three at the next run: asked to confirm, nothing saved.
    const unconfirmed = await post({ years: '5' });
    expect(unconfirmed.status).toBe(400);
    const asked = await unconfirmed.text();
    expect(asked).toContain('personopplysningene i 3 avsluttede saker slettet ved neste kjøring');
    expect(asked).toContain('name="confirm" value="yes"');
    expect(asked).toContain('href="#nordby-confirm"');
    expect(await settingsNow()).toEqual({ years: 7 });
    expect(await changes()).toHaveLength(0);

    const confirmed = await post({ years: '5', confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${BASE}?lagret=nordby`);
    expect(await settingsNow()).toEqual({ years: 5 });
    const [change] = await changes();
    expect(change.payload).toMatchObject({
      actor: 'staff:demo-operator-ola',
      municipality: 'nordby',
      before: { years: 7 },
      after: { years: 5 },
      yearsBefore: 7,
      yearsAfter: 5,
      dueAtNextRun: 3,
    });
    const saved = section(await (await operator.get(`${BASE}?lagret=nordby`)).text());
    expect(saved).toContain('Oppbevaringstiden er lagret');
    expect(saved).toContain('5 år (kommunens valg)');
    expect(saved).toMatch(/data-testid="due">3</);

    // The next run uses it.
    const run = await retention.run();
    expect(run.municipalities.find((m) => m.municipalityId === env.a.id)).toMatchObject({
      years: 5,
      removed: 3,
    });
    for (const r of old) expect(await fresh(r.id)).toMatchObject({ pid: null });

    // Longer never asks; empty goes back to the installation's period; the same again writes
    // nothing.
    expect((await post({ years: '10' })).status).toBe(303);
    expect(await settingsNow()).toEqual({ years: 10 });
    expect((await post({ years: ' ' })).status).toBe(303);
    expect(await settingsNow()).toBeUndefined();
    expect((await post({ years: '' })).status).toBe(303);
    const all = await changes();
    expect(all.map((e) => [e.payload.before, e.payload.after, e.payload.yearsAfter])).toEqual([
      [{ years: 7 }, { years: 5 }, 5],
      [{ years: 5 }, { years: 10 }, 10],
      [{ years: 10 }, null, 5],
    ]);
    expect(section(await (await operator.get(BASE)).text())).toContain(
      '5 år (standard for installasjonen',
    );

    // A municipality the operator does not serve, or no such one: not found, nothing written.
    expect((await post({ years: '3', confirm: 'yes' }, 'sorby')).status).toBe(404);
    expect((await post({ years: '3', confirm: 'yes' }, 'nowhere')).status).toBe(404);
    expect(await changes()).toHaveLength(3);
    expect((await env.t.app.get(AuditVerifier).verify(env.a.id)).ok).toBe(true);
  });
});
