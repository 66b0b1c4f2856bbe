import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { saltedSha256 } from '../../src/audit/salted-hash';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { CaseMessage } from '../../src/deferrals/case-message.entity';
import { CaseWorkService } from '../../src/deferrals/case-work/case-work.service';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/saksbehandler/saker';

async function submit(
  agent: CookieAgent,
  pagePath: string,
  action: string,
  form: Record<string, string>,
) {
  const page = await (await agent.get(pagePath)).text();
  return agent.postForm(action, { _csrf: CookieAgent.csrfToken(page), ...form });
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Cases a person decides: the queue, taking, deciding and asking (e2e)', () => {
  let env: PortalWithStaff;
  let smtp: SmtpSink;
  let ingrid: CookieAgent;
  let ingridInvoice: string;
  let ingridKid: string;
  /** The first real review case: later tests copy it into more cases of their own. */
  let template: DeferralRequest;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startPortalWithStaff({
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '100',
      WRITEBACK_POLL_MS: '100',
    });
    const versions = env.t.app.get(PolicyVersionsService);
    await versions.seedById(env.a.id);
    await versions.seedById(env.b.id);
    const ledger = await seedLedgerFor(env.t.em(), env.a);
    await seedLedgerFor(env.t.em(), env.b);
    env.t.refreshTenants();
    const propertyTax = ledger
      .find((e) => e.pid === INGRID)!
      .invoices.find((i) => i.category === 'EIENDOMSSKATT')!;
    ingridInvoice = propertyTax.id;
    ingridKid = propertyTax.kid;
    ingrid = await loginAs(env.t.url, INGRID);
  });
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
  });

  /** Ingrid asks for more time on her property tax in A: the policy sends it to review. */
  async function ingridAsks(agent: CookieAgent, invoiceId: string) {
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const dueDate = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)][5][1];
    const asked = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
      email: 'ingrid@example.test',
    });
    expect(asked.status).toBe(303);
    const reference = asked.headers.get('location')!.split('/').pop()!;
    return env.t.em().findOneOrFail(DeferralRequest, { reference });
  }

  const fresh = (id: string) => env.t.em().findOneOrFail(DeferralRequest, { id });
  const audits = (subjectId: string, type: string) =>
    env.t.em().find(AuditEntry, { subjectId, type }, { orderBy: { seq: 'asc' } });

  it('takes Ingrid’s request through review, a question, her answer and an approval with a date of the officer’s choosing', async () => {
    const request = await ingridAsks(ingrid, ingridInvoice);
    template = request;
    expect(request.outcome).toBe('manual_review');
    expect(request.status).toBe('awaiting_officer');
    expect(request.sentToOfficerAt).not.toBeNull();

    // Her page says a person handles it, when it arrived and the usual answer time; never "decided".
    let page = await (await ingrid.get(`/saker/${request.reference}`)).text();
    expect(page).toContain('Til behandling hos saksbehandler');
    expect(page).toContain('svarer vanligvis innen 10 dager');
    expect(page).toContain('<dd>10 dager</dd>');
    expect(page).not.toMatch(/>Avgjort</);

    // The queue lists it, with how long it has waited; approvers and auditors have no queue.
    const officer = await loginAsStaff(env.t.url, 'officer');
    const queue = await (await officer.get(BASE)).text();
    expect(queue).toContain(request.reference);
    expect(queue).toContain('Reglene sendte den til vurdering');
    expect((await (await loginAsStaff(env.t.url, 'approver')).get(BASE)).status).toBe(403);
    expect((await (await loginAsStaff(env.t.url, 'auditor')).get(BASE)).status).toBe(403);

    // The case: the invoice fresh from the finance system, history, facts, trace, reasons.
    const casePath = `${BASE}/${request.id}`;
    const opened = await officer.get(casePath);
    expect(opened.status).toBe(200);
    const caseHtml = await opened.text();
    expect(caseHtml).toContain(ingridKid);
    expect(caseHtml).toContain('Betalingshistorikk');
    expect(caseHtml).toContain('requestedDays');
    expect(caseHtml).toContain(request.reasons[0].text.nb);
    expect(caseHtml).not.toContain(INGRID);
    // Opening it is recorded: who saw whose case, when.
    const openedEntries = await audits(request.id, 'case.opened');
    expect(openedEntries).toHaveLength(1);
    expect(openedEntries[0].payload).toMatchObject({ actor: 'staff:demo-officer-siri' });

    // Take it; an approval is refused until one has.
    const taken = await submit(officer, casePath, `${casePath}/ta`, {});
    expect(taken.status).toBe(303);
    expect((await fresh(request.id)).takenBy).toBe('staff:demo-officer-siri');

    // A question carrying her identity number is refused: it would go out by e-mail.
    const withPid = await submit(officer, casePath, `${casePath}/sporsmal`, {
      question: `Gjelder dette ${INGRID}?`,
    });
    expect(withPid.status).toBe(400);
    expect(await withPid.text()).toContain('ser ut til å inneholde et fødselsnummer');
    expect((await fresh(request.id)).status).toBe('taken');

    // Ask Ingrid; she gets an e-mail and answers on her page; the case comes back to the officer.
    const asked = await submit(officer, casePath, `${casePath}/sporsmal`, {
      question: 'Når kommer lønna di?\nSend gjerne en dato.',
    });
    expect(asked.status).toBe(303);
    expect((await fresh(request.id)).status).toBe('awaiting_resident');
    // Her first e-mail was the receipt of the automatic step; the second asks the question.
    const toIngrid = () =>
      until(
        async () => smtp.messages.filter((m) => m.to.includes('ingrid@example.test')),
        (list) => list.length >= 2,
      );
    const questionMail = (await toIngrid())[1];
    expect(decodeQuotedPrintable(questionMail.raw)).toContain('Når kommer lønna di?');
    page = await (await ingrid.get(`/saker/${request.reference}`)).text();
    expect(page).toContain('Kommunen trenger mer informasjon fra deg');
    const empty = await submit(
      ingrid,
      `/saker/${request.reference}`,
      `/saker/${request.reference}/svar`,
      {
        answer: '  ',
      },
    );
    expect(empty.status).toBe(400);
    const answered = await submit(
      ingrid,
      `/saker/${request.reference}`,
      `/saker/${request.reference}/svar`,
      { answer: 'Lønna kommer den 20.' },
    );
    expect(answered.status).toBe(303);
    expect((await fresh(request.id)).status).toBe('taken');
    const messages = await env.t.em().find(CaseMessage, { deferralRequestId: request.id });
    expect(messages.map((m) => [m.author, m.text])).toEqual([
      ['officer', 'Når kommer lønna di?\nSend gjerne en dato.'],
      ['resident', 'Lønna kommer den 20.'],
    ]);
    expect(await officer.get(casePath).then((r) => r.text())).toContain('Lønna kommer den 20.');

    // A date not after the one asked about, or years away, is refused beside its field.
    const early = await submit(officer, casePath, `${casePath}/innvilg`, {
      dueDate: request.originalDueDate,
    });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('må være etter den opprinnelige');
    const far = await submit(officer, casePath, `${casePath}/innvilg`, {
      dueDate: addDays(todayInNorway(), 800),
    });
    expect(far.status).toBe(400);
    expect(await far.text()).toContain('høyst to år fram i tid');
    expect((await fresh(request.id)).status).toBe('taken');

    // Approve with a date well beyond the policy's window: written back through the outbox.
    const dueDate = addDays(request.originalDueDate, 75);
    const approved = await submit(officer, casePath, `${casePath}/innvilg`, {
      dueDate,
      approveMessage: 'Vi har gitt deg litt ekstra tid.',
    });
    expect(approved.status).toBe(303);
    const decided = await fresh(request.id);
    expect(decided).toMatchObject({
      status: 'decided',
      outcome: 'approved',
      policyOutcome: 'manual_review',
      newDueDate: dueDate,
      decidedBy: 'staff:demo-officer-siri',
    });
    const job = await until(
      () => env.t.em().findOneOrFail(WritebackJob, { deferralRequestId: request.id }),
      (j) => j.status === 'done',
    );
    expect(job.status).toBe('done');
    const moved = await until(
      () => env.t.em().findOneOrFail(LedgerInvoice, { id: request.invoiceId }),
      (i) => i.dueDate === dueDate,
    );
    expect(moved.dueDate).toBe(dueDate);

    // Her page and her e-mail show the person's decision.
    page = await (await ingrid.get(`/saker/${request.reference}`)).text();
    expect(page).toContain('Avgjort av saksbehandler');
    expect(page).toContain('Vi har gitt deg litt ekstra tid.');
    const decisionMail = await until(
      async () => smtp.messages.filter((m) => m.to.includes('ingrid@example.test')),
      (list) => list.length >= 3,
    );
    expect(decodeQuotedPrintable(decisionMail.at(-1)!.raw)).toContain(
      'Vi har gitt deg litt ekstra tid.',
    );

    // Chained like the automatic decisions: the decision names the officer, and the chain verifies.
    const [entry] = await audits(request.id, 'case.decided');
    expect(entry.payload).toMatchObject({
      actor: 'staff:demo-officer-siri',
      outcome: 'approved',
      newDueDate: dueDate,
      policyOutcome: 'manual_review',
      // The officer's text stays with the request; the chain holds its salted hash only.
      reasonSha256: saltedSha256(decided.auditSalt!, 'Vi har gitt deg litt ekstra tid.'),
    });
    const [question] = await audits(request.id, 'case.info_requested');
    expect(question.payload).toMatchObject({
      questionSha256: saltedSha256(
        decided.auditSalt!,
        'Når kommer lønna di?\nSend gjerne en dato.',
      ),
    });
    const [answer] = await audits(request.id, 'case.resident_answered');
    expect(answer.payload).toMatchObject({
      messageSha256: saltedSha256(decided.auditSalt!, 'Lønna kommer den 20.'),
    });
    for (const e of [entry, question, answer])
      expect(JSON.stringify(e.payload)).not.toMatch(/ekstra tid|lønna|Lønna/);
    for (const type of [
      'case.taken',
      'case.info_requested',
      'case.resident_answered',
      'writeback.succeeded',
    ])
      expect(await audits(request.id, type)).toHaveLength(1);
    const verified = await env.t.app.get(AuditVerifier).verify(env.a.id);
    expect(verified.ok).toBe(true);

    // Decided is decided: no second decision, no taking it again.
    const again = await submit(officer, casePath, `${casePath}/innvilg`, { dueDate });
    expect(again.status).toBe(409);
    expect(await (await officer.get(BASE)).text()).not.toContain(request.reference);
  });

  it('lets exactly one of two officers take a case at the same moment, and only the holder decide', async () => {
    const target = await newReviewCase(env.a.id);
    const casePath = `${BASE}/${target.id}`;
    const siri = await loginAsStaff(env.t.url, 'officer');
    const dag = await loginAsStaff(env.t.url, 'dual');
    const [siriPage, dagPage] = await Promise.all([
      siri.get(casePath).then((r) => r.text()),
      dag.get(casePath).then((r) => r.text()),
    ]);
    const answers = await Promise.all([
      siri.postForm(`${casePath}/ta`, { _csrf: CookieAgent.csrfToken(siriPage) }),
      dag.postForm(`${casePath}/ta`, { _csrf: CookieAgent.csrfToken(dagPage) }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
    expect(await audits(target.id, 'case.taken')).toHaveLength(1);
    const holder = (await fresh(target.id)).takenBy;
    const loser = holder === 'staff:demo-officer-siri' ? dag : siri;
    const refused = await submit(loser, casePath, `${casePath}/avslag`, { reasonCode: 'repeated' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('En annen saksbehandler har saken');
    expect((await fresh(target.id)).status).toBe('taken');

    // A stale claim can be taken over, but only from the holder the officer saw.
    await env.t
      .em()
      .nativeUpdate(
        DeferralRequest,
        { id: target.id },
        { takenAt: new Date(Date.now() - 25 * 3_600_000) },
      );
    const wrong = await submit(loser, casePath, `${casePath}/ta`, { fra: 'staff:someone-else' });
    expect(wrong.status).toBe(409);
    const over = await submit(loser, casePath, `${casePath}/ta`, { fra: holder! });
    expect(over.status).toBe(303);
    const after = await fresh(target.id);
    expect(after.takenBy).not.toBe(holder);
    const [, takeover] = await audits(target.id, 'case.taken');
    expect(takeover.payload).toMatchObject({ takenOverFrom: holder });

    // The new holder rejects with a standard text, in the resident's language.
    const rejected = await submit(loser, casePath, `${casePath}/avslag`, {
      reasonCode: 'repeated',
      reasonText: '',
    });
    expect(rejected.status).toBe(303);
    const done = await fresh(target.id);
    expect(done).toMatchObject({
      status: 'decided',
      outcome: 'rejected',
      officerReasonCode: 'repeated',
    });
    expect(done.officerReason).toContain('Du har fått utsettelse flere ganger');
    expect(await env.t.em().count(WritebackJob, { deferralRequestId: target.id })).toBe(0);
  });

  it('gives a case to exactly one of eight officers taking it at once, and decides it once', async () => {
    const target = await newReviewCase(env.a.id);
    const work = env.t.app.get(CaseWorkService);
    const officers = Array.from({ length: 8 }, (_, i) => ({ actor: `staff:racer-${i}` }));
    const taken = await Promise.all(officers.map((o) => work.take([env.a.id], target.id, o)));
    expect(taken.filter((r) => r.ok)).toHaveLength(1);
    expect(await audits(target.id, 'case.taken')).toHaveLength(1);
    const holder = officers[taken.findIndex((r) => r.ok)];
    expect((await fresh(target.id)).takenBy).toBe(holder.actor);

    // The holder's approval and rejection sent at once: one decision, one write-back at most.
    const origin = env.t.url;
    const decided = await Promise.all([
      work.approve([env.a.id], target.id, holder, {
        dueDate: addDays(target.originalDueDate, 30),
        message: null,
        origin,
      }),
      work.reject([env.a.id], target.id, holder, { reason: 'Nei.', reasonCode: null, origin }),
      work.askResident([env.a.id], target.id, holder, { question: 'Hvorfor?', origin }),
    ]);
    expect(decided.filter((r) => r.ok)).toHaveLength(1);
    const after = await fresh(target.id);
    expect(await audits(target.id, 'case.decided')).toHaveLength(
      after.status === 'decided' ? 1 : 0,
    );
    expect(await env.t.em().count(WritebackJob, { deferralRequestId: target.id })).toBe(
      after.outcome === 'approved' ? 1 : 0,
    );
  });

  it('refuses a rejection without a reason, and shows the officer of several municipalities all their cases', async () => {
    const inA = await newReviewCase(env.a.id);
    const inB = await newReviewCase(env.b.id);

    const dag = await loginAsStaff(env.t.url, 'dual');
    const all = await (await dag.get(BASE)).text();
    expect(all).toContain(inA.reference);
    expect(all).toContain(inB.reference);
    const onlyB = await (await dag.get(`${BASE}?kommune=${env.b.id}`)).text();
    expect(onlyB).toContain(inB.reference);
    expect(onlyB).not.toContain(inA.reference);
    // Siri serves A only: B's case is not hers to see.
    const siri = await loginAsStaff(env.t.url, 'officer');
    expect(await (await siri.get(BASE)).text()).not.toContain(inB.reference);
    expect((await siri.get(`${BASE}/${inB.id}`)).status).toBe(404);

    const casePath = `${BASE}/${inB.id}`;
    // Its invoice is not in B's ledger: the page says the finance system no longer has it.
    expect(await (await dag.get(casePath)).text()).toContain('finner ikke fakturaen lenger');
    expect((await submit(dag, casePath, `${casePath}/ta`, {})).status).toBe(303);
    const missing = await submit(dag, casePath, `${casePath}/avslag`, {
      reasonCode: 'own',
      reasonText: '',
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('skriv en begrunnelse innbyggeren får');
    expect((await fresh(inB.id)).status).toBe('taken');
    const own = await submit(dag, casePath, `${casePath}/avslag`, {
      reasonCode: 'own',
      reasonText: 'Eiendomsskatten kan ikke utsettes lenger i år.',
    });
    expect(own.status).toBe(303);
    const decided = await fresh(inB.id);
    expect(decided).toMatchObject({
      outcome: 'rejected',
      decidedBy: 'staff:demo-officer-ikt-dag',
      municipalityId: env.b.id,
    });
    // The decision is in B's chain, not A's.
    const [entry] = await audits(inB.id, 'case.decided');
    expect(entry.municipalityId).toBe(env.b.id);
  });

  /** Another case waiting for an officer, like Ingrid's first, stored as the deferrals feature stores it. */
  let made = 0;
  async function newReviewCase(municipalityId: string) {
    made += 1;
    const em = env.t.em();
    const { id: _id, ...fields } = template;
    const copy = em.create(DeferralRequest, {
      ...fields,
      municipalityId,
      reference: `UTS-TEST-${String(made).padStart(4, '0')}`,
      invoiceId: `${template.invoiceId}-copy-${made}`,
      status: 'awaiting_officer',
      outcome: 'manual_review',
      policyOutcome: 'manual_review',
      newDueDate: null,
      takenBy: null,
      takenByName: null,
      takenAt: null,
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      officerReason: null,
      officerReasonCode: null,
      sentToOfficerAt: new Date(),
      createdAt: new Date(),
    });
    await em.flush();
    return copy;
  }
});
