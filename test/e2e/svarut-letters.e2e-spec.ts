import {
  makeClientKey,
  type RepeatedReference,
  startSvarUtServer,
  SVARUT_DEMO,
  type RunningSvarUtServer,
} from '../../dev/svarut-server/svarut-server';
import { syntheticPids } from '../../dev/synthetic-pids';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { CaseWorkService } from '../../src/deferrals/case-work/case-work.service';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PersonalDataRemoval } from '../../src/deferrals/personal-data/personal-data-removal';
import { DigitalLetterJob } from '../../src/digital-post/digital-letter-job.entity';
import { DigitalPostSender } from '../../src/digital-post/digital-post.sender';
import { DigitalPostWorker } from '../../src/digital-post/digital-post.worker';
import { readPdf } from '../../src/digital-post/testing/pdf-text';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { todayInNorway } from '../../src/shared/calendar-date';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';

const key = makeClientKey();

/** A municipality that sends decision letters through SvarUt: the resident's receipt as digital post. */
describe('Decision letters through SvarUt (e2e)', () => {
  let svarut: RunningSvarUtServer;
  let env: PortalWithIdporten;
  let municipality: Municipality;
  let residents: { pid: string; invoiceId: string }[];

  beforeAll(async () => {
    svarut = await startSvarUtServer({ clients: { [SVARUT_DEMO.clientId]: key.publicKey } });
    env = await startPortalWithIdporten({
      SVARUT_TEST_INTEGRATION_PASSWORD: SVARUT_DEMO.integrationPassword,
      // As an operator would put a PEM in one line of an env file.
      MASKINPORTEN_TEST_KEY: key.privateKey.replace(/\n/g, '\\n'),
      LETTERS_POLL_MS: '100',
      LETTERS_BACKOFF_MS: '20',
      LETTERS_MAX_ATTEMPTS: '5',
      LETTERS_TIMEOUT_MS: '2000',
      WRITEBACK_POLL_MS: '60000',
    });
    municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
      settings: {
        financeAdapter: 'embedded',
        letters: {
          channel: 'svarut',
          svarut: {
            baseUrl: svarut.url,
            accountId: SVARUT_DEMO.accountId,
            integrationId: SVARUT_DEMO.integrationId,
            integrationPasswordEnv: 'SVARUT_TEST_INTEGRATION_PASSWORD',
            maskinporten: {
              tokenUrl: svarut.tokenUrl,
              audience: svarut.audience,
              clientId: SVARUT_DEMO.clientId,
              privateKeyEnv: 'MASKINPORTEN_TEST_KEY',
            },
          },
        },
      },
    });
    const pids = syntheticPids(7, seededRandom(41));
    const entries = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      pids.map((pid, i) => ({ pid, name: `Innbygger ${i}`, municipality: 'fjordvik' as const })),
      'svarut',
    );
    residents = entries.map((entry) => ({
      pid: entry.pid,
      invoiceId: entry.invoices.find((i) => i.status === 'UNPAID')!.id,
    }));
    env.t.refreshTenants();
  });
  afterAll(async () => {
    await env?.close();
    await svarut?.close();
  });
  afterEach(() => {
    svarut.faults.set({ mode: 'none' });
    svarut.setRepeatedReference('first-id');
  });

  /** The resident asks for a deferral without giving an e-mail address. */
  async function defer(index: number) {
    const { pid, invoiceId } = residents[index];
    const agent = await loginAs(env.t.url, pid);
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const options = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
      CookieAgent.csrfToken(html);
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: csrf,
      newDueDate: options[3],
      email: '',
    });
    expect(res.status).toBe(303);
    return env.t.em().findOneOrFail(DeferralRequest, { invoiceId });
  }

  async function settled(subjectId: string, timeoutMs = 15_000): Promise<DigitalLetterJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await env.t.em().findOne(DigitalLetterJob, { subjectId });
      if (job && (job.status === 'sent' || job.status === 'failed')) return job;
      if (Date.now() > deadline)
        throw new Error(`letter still ${job?.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const to = (pid: string) =>
    svarut.received().filter((r) => r.metadata.mottaker.digitalId === pid);
  const requests = (what: string) => svarut.requests()[what] ?? 0;

  it('sends the decision as one letter to the identity number, with a PDF that names the reference', async () => {
    const request = await defer(0);
    const job = await settled(request.id);
    expect(job).toMatchObject({ status: 'sent', attempts: 1 });
    // The resident's case page says the letter went as digital post (no e-mail address given).
    const agent = await loginAs(env.t.url, residents[0].pid);
    const page = await (await agent.get(`/saker/${request.reference}`)).text();
    expect(page).toMatch(/data-testid="receipt-letter">Sendt til deg som digital post /);

    const letters = to(residents[0].pid);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(job.shipmentId).toBe(letter.id);
    expect(letter.metadata.eksternReferanse).toBe(`${request.reference}:receipt`);
    expect(letter.metadata.tittel).toContain(request.reference);
    const pdf = readPdf(letter.documents[0].body);
    expect(pdf.header).toMatch(/^%PDF-/);
    expect(pdf.text).toContain(request.reference);
    expect(pdf.text).toContain('Nordby kommune');
    expect(pdf.lang).toBe('nb-NO');

    // Audited with SvarUt's id, in the decision's case; the identity number is not in it.
    const entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'letter.sent' });
    expect(entry.payload).toMatchObject({ shipmentId: letter.id, channel: 'svarut', attempts: 1 });
    expect(JSON.stringify(entry.payload)).not.toContain(residents[0].pid);
  });

  /**
   * Whatever SvarUt does with a repeated eksternReferanse: answer with the first forsendelse's id
   * (`first-id`), or take it as another letter (`new-forsendelse`, which its documentation allows).
   * Residents 1 and 2 in the first mode (later tests use their requests), 4 and 5 in the second.
   */
  const modes: [RepeatedReference, number, number][] = [
    ['first-id', 1, 2],
    ['new-forsendelse', 4, 5],
  ];

  it.each(modes)(
    'a worker that died after SvarUt took the letter sends it again: still one letter (%s)',
    async (mode, resident) => {
      svarut.setRepeatedReference(mode);
      const request = await defer(resident);
      const first = await settled(request.id);
      const sends = requests('POST forsendelser 200');
      // As if the instance died before recording: the claim's lease has run out.
      await env.t
        .em()
        .nativeUpdate(
          DigitalLetterJob,
          { id: first.id },
          { status: 'in_progress', lockedUntil: new Date(Date.now() - 1000), sentAt: null },
        );
      await env.t.app.get(DigitalPostWorker).drain();
      await env.t.app.get(DigitalPostWorker).drain();
      const again = await settled(request.id);
      expect(again).toMatchObject({ status: 'sent', attempts: 2, shipmentId: first.shipmentId });
      expect(to(residents[resident].pid)).toHaveLength(1);
      // Found by its eksternReferanse, not sent again.
      expect(requests('POST forsendelser 200')).toBe(sends);
    },
  );

  it.each(modes)(
    'a lost answer, then a lost lookup, are retried with backoff; the resident gets one letter (%s)',
    async (mode, _, resident) => {
      svarut.setRepeatedReference(mode);
      const [sends, lookups] = [
        requests('POST forsendelser 200'),
        requests('GET forsendelser?eksternRef 200'),
      ];
      // The send's answer is lost after SvarUt took the letter, then the retry's lookup's answer.
      svarut.faults.set({ mode: 'drop', paths: ['/api/v2'], times: 2 });
      const request = await defer(resident);
      const job = await settled(request.id);
      expect(job.status).toBe('sent');
      expect(job.attempts).toBe(3);
      const letters = to(residents[resident].pid);
      expect(letters).toHaveLength(1);
      expect(requests('POST forsendelser 200')).toBe(sends + 1);
      expect(requests('GET forsendelser?eksternRef 200')).toBe(lookups + 2);
      // The letter SvarUt took when the answer was lost is the one recorded and audited.
      expect(job.shipmentId).toBe(letters[0].id);
      const entry = await env.t
        .em()
        .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'letter.sent' });
      expect(entry.payload).toMatchObject({ shipmentId: letters[0].id, attempts: 3, found: true });
    },
  );

  it('a 500 from SvarUt is retried: one letter', async () => {
    svarut.faults.set({ mode: 'error500', paths: ['POST /api/v2'], times: 1 });
    const request = await defer(6);
    const job = await settled(request.id);
    expect(job).toMatchObject({ status: 'sent', attempts: 2 });
    expect(to(residents[6].pid)).toHaveLength(1);
  });

  it('an officer’s decision is a second letter on the case, with the officer’s reason', async () => {
    const request = await env.t
      .em()
      .findOneOrFail(DeferralRequest, { invoiceId: residents[2].invoiceId });
    // As if the policy had sent it to a person, who took it.
    await env.t
      .em()
      .nativeUpdate(
        DeferralRequest,
        { id: request.id },
        { status: 'taken', takenBy: 'staff:test-officer', takenAt: new Date() },
      );
    const result = await env.t.app
      .get(CaseWorkService)
      .reject(
        [municipality.id],
        request.id,
        { actor: 'staff:test-officer', name: 'Test Saksbehandler' },
        { reason: 'Fakturaen er allerede sendt til inkasso.', reasonCode: null, origin: env.t.url },
      );
    expect(result).toEqual({ ok: true });
    const job = await settled(`${request.id}:decided`);
    expect(job.status).toBe('sent');
    const letters = to(residents[2].pid);
    expect(letters.map((l) => l.metadata.eksternReferanse)).toEqual([
      `${request.reference}:receipt`,
      `${request.reference}:decided`,
    ]);
    const pdf = readPdf(letters[1].documents[0].body);
    expect(pdf.text).toContain('Fakturaen er allerede sendt til inkasso.');
    expect(pdf.text).toContain(request.reference);
  });

  it('a letter that cannot be sent fails for good, audited with its code', async () => {
    const em = env.t.em();
    const job = em.create(DigitalLetterJob, {
      municipalityId: municipality.id,
      subjectId: 'not-a-request',
      externalReference: 'UTS-BROKEN:receipt',
      identityNumber: residents[0].pid,
      letter: { kind: 'no-such-letter', reference: 'UTS-BROKEN' } as never,
    });
    await em.flush();
    const failed = await settled(job.subjectId);
    expect(failed).toMatchObject({ status: 'failed', lastError: 'invalid-letter', attempts: 1 });
    const entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: 'not-a-request', type: 'letter.failed' });
    expect(entry.payload).toMatchObject({ error: 'invalid-letter', reference: 'UTS-BROKEN' });

    // An address SvarUt would refuse is not sent at all (queued, never failing the decision).
    const odd = em.create(DigitalLetterJob, {
      municipalityId: municipality.id,
      subjectId: 'not-a-request-either',
      externalReference: 'UTS-ODD:receipt',
      identityNumber: '1234',
      letter: { reference: 'UTS-ODD' } as never,
    });
    await em.flush();
    expect(await settled(odd.subjectId)).toMatchObject({
      status: 'failed',
      lastError: 'invalid-identity-number',
    });
  });

  it('retention keeps the identity number of a request whose letter is still on its way', async () => {
    const [sent, waiting] = await Promise.all(
      [residents[0], residents[1]].map(({ invoiceId }) =>
        env.t.em().findOneOrFail(DeferralRequest, { invoiceId }),
      ),
    );
    // The write-backs are done (the embedded ledger takes them at once), so both are closed but
    // for the letter: the second one's is due again later (SvarUt was down, say).
    const deadline = Date.now() + 10_000;
    while (
      (await env.t.em().count(WritebackJob, { status: { $in: ['pending', 'in_progress'] } })) > 0
    ) {
      if (Date.now() > deadline) throw new Error('write-backs still running');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await env.t
      .em()
      .nativeUpdate(
        DigitalLetterJob,
        { subjectId: waiting.id },
        { status: 'pending', nextAttemptAt: new Date(Date.now() + 3_600_000), sentAt: null },
      );
    const removal = env.t.app.get(PersonalDataRemoval);
    const cutoff = new Date(Date.now() + 60_000);
    const expired = await removal.expired(municipality.id, cutoff, 100);
    expect(expired).toContain(sent.id);
    expect(expired).not.toContain(waiting.id);

    // Even when asked for it (listed before the letter was queued again), it is skipped.
    const removed = await env.t
      .em()
      .transactional((em) => removal.remove(em, [sent.id, waiting.id], new Date()));
    expect(removed?.requestIds).toEqual([sent.id]);
    expect(removed?.letters).toBe(1);
    expect(await env.t.em().findOne(DigitalLetterJob, { subjectId: sent.id })).toBeNull();
    const kept = await env.t.em().findOneOrFail(DeferralRequest, { id: waiting.id });
    expect(kept.pid).toBe(residents[1].pid);
    expect(await env.t.em().findOne(DigitalLetterJob, { subjectId: waiting.id })).toMatchObject({
      identityNumber: residents[1].pid,
      status: 'pending',
    });
  });

  // Last: it stops this app's worker.
  it('at shutdown a letter being sent is recorded (a time-out, retried), and another instance finishes it once', async () => {
    // SvarUt as its documentation allows: a repeated eksternReferanse would be another letter.
    svarut.setRepeatedReference('new-forsendelse');
    svarut.faults.set({ mode: 'late', paths: ['POST /api/v2'], times: 1, delayMs: 2_500 });
    const request = await defer(3);
    const deadline = Date.now() + 5_000;
    while (
      (await env.t.em().findOne(DigitalLetterJob, { subjectId: request.id }))?.status !==
      'in_progress'
    ) {
      if (Date.now() > deadline) throw new Error('the letter was not claimed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stopping = Date.now();
    await env.t.app.get(DigitalPostWorker).stop();
    // Bounded by the send's time-out (2 s) and a second; the batch was recorded before it returned.
    expect(Date.now() - stopping).toBeLessThan(3_500);
    const left = await env.t.em().findOneOrFail(DigitalLetterJob, { subjectId: request.id });
    expect(left).toMatchObject({ status: 'pending', lastError: 'svarut-timeout', attempts: 1 });

    // SvarUt took it at once (only its answer came after the time-out): another instance's
    // batch finds it by its eksternReferanse and records it instead of sending it again.
    await env.t.em().nativeUpdate(DigitalLetterJob, { id: left.id }, { nextAttemptAt: new Date() });
    await env.t.app.get(DigitalPostSender).runBatch();
    const done = await env.t.em().findOneOrFail(DigitalLetterJob, { subjectId: request.id });
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    expect(to(residents[3].pid)).toHaveLength(1);
    expect(done.shipmentId).toBe(to(residents[3].pid)[0].id);
  });
});
