import { MikroORM } from '@mikro-orm/core';
import { browserlessStaffLogin } from '../../dev/idporten/testing/browserless-login';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { todayInNorway } from '../../src/shared/calendar-date';
import { maskNationalId } from '../../src/shared/national-identity-number';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/revisjon';
const RUNA = 'staff:demo-auditor-runa';
const SIRI = 'staff:demo-officer-siri';

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts a form of the page at `pagePath` with that page's CSRF token. */
async function submit(agent: CookieAgent, pagePath: string, action: string, form = {}) {
  const page = await (await agent.get(pagePath)).text();
  return agent.postForm(action, { _csrf: CookieAgent.csrfToken(page), ...form });
}

/** The counts row of an outcome on the search page: automatic, by an officer, total. */
function counts(html: string, outcome: string): number[] {
  const row = new RegExp(`<tr data-outcome="${outcome}">(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
  return [...row.matchAll(/<td class="num"[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

/** The references a search page lists. */
const listed = (html: string) =>
  [...html.matchAll(/>(UTS-[0-9A-Z]{4}-[0-9A-Z]{4})</g)].map((m) => m[1]);

describe('The auditor pages: search, one decision, replay, staff activity (e2e)', () => {
  let env: PortalWithStaff;
  let auditor: CookieAgent;
  let kari: DeferralRequest;
  /** Ingrid's water bill, asked about after its due date: to an officer, who rejects it. */
  let water: DeferralRequest;
  let ingrid: DeferralRequest;
  let inB: DeferralRequest;
  let versionA: string;

  /** A resident asks for the `index`-th date offered on one of their invoices. */
  async function ask(agent: CookieAgent, invoiceId: string, index = 5) {
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const dueDate = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)][
      index
    ][1];
    const asked = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    expect(asked.status).toBe(303);
    const reference = asked.headers.get('location')!.split('/').pop()!;
    return env.t.em().findOneOrFail(DeferralRequest, { reference });
  }

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_POLL_MS: '100' });
    const versions = env.t.app.get(PolicyVersionsService);
    await versions.seedById(env.a.id);
    await versions.seedById(env.b.id);
    versionA = (await versions.readActive(env.a.id))!.versionId;
    const ledgerA = await seedLedgerFor(env.t.em(), env.a);
    const ledgerB = await seedLedgerFor(env.t.em(), env.b);
    env.t.refreshTenants();
    const invoices = (ledger: typeof ledgerA, pid: string) =>
      ledger.find((e) => e.pid === pid)!.invoices;
    const today = todayInNorway();

    // Decisions through the real flow: Kari approved at once; Ingrid's property tax to an officer,
    // who asks her, hears back and approves; her overdue water bill to the officer, who rejects it.
    const kariAgent = await loginAs(env.t.url, KARI);
    kari = await ask(
      kariAgent,
      invoices(ledgerA, KARI).find(
        (i) => i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > today,
      )!.id,
      13,
    );
    const ingridAgent = await loginAs(env.t.url, INGRID);
    ingrid = await ask(
      ingridAgent,
      invoices(ledgerA, INGRID).find((i) => i.category === 'EIENDOMSSKATT')!.id,
    );
    water = await ask(
      ingridAgent,
      invoices(ledgerA, INGRID).find((i) => i.category === 'VANN_AVLOP')!.id,
      0,
    );
    const officer = await loginAsStaff(env.t.url, 'officer');
    const casePath = `/saksbehandler/saker/${ingrid.id}`;
    expect((await submit(officer, casePath, `${casePath}/ta`)).status).toBe(303);
    expect(
      (await submit(officer, casePath, `${casePath}/sporsmal`, { question: 'Når kommer lønna?' }))
        .status,
    ).toBe(303);
    const casePage = `/saker/${ingrid.reference}`;
    expect(
      (await submit(ingridAgent, casePage, `${casePage}/svar`, { answer: 'Den 20.' })).status,
    ).toBe(303);
    expect(
      (
        await submit(officer, casePath, `${casePath}/innvilg`, {
          dueDate: ingrid.requestedDueDate,
          approveMessage: 'Greit.',
        })
      ).status,
    ).toBe(303);
    await until(
      () => env.t.em().find(WritebackJob, { status: { $ne: 'done' } }),
      (open) => open.length === 0,
    );
    ingrid = await env.t.em().findOneOrFail(DeferralRequest, { id: ingrid.id });
    const waterPath = `/saksbehandler/saker/${water.id}`;
    expect((await submit(officer, waterPath, `${waterPath}/ta`)).status).toBe(303);
    expect(
      (
        await submit(officer, waterPath, `${waterPath}/avslag`, {
          reasonCode: 'own',
          reasonText: 'Regningen er for gammel.',
        })
      ).status,
    ).toBe(303);
    water = await env.t.em().findOneOrFail(DeferralRequest, { id: water.id });

    // A decision in B, stored as the deferrals feature stores one: A's auditor never sees it.
    const { id: _id, ...fields } = kari;
    const em = env.t.em();
    inB = em.create(DeferralRequest, {
      ...fields,
      municipalityId: env.b.id,
      reference: 'UTS-BBBB-2222',
      invoiceId: `${invoices(ledgerB, KARI)[0].id}`,
    });
    await em.flush();

    auditor = await loginAsStaff(env.t.url, 'auditor');
  });
  afterAll(() => env?.close());

  it('made the decisions the tests read', () => {
    expect([kari.outcome, ingrid.outcome, water.outcome]).toEqual([
      'approved',
      'approved',
      'rejected',
    ]);
    expect(ingrid).toMatchObject({ policyOutcome: 'manual_review', decidedBy: SIRI });
    expect(water).toMatchObject({ policyOutcome: 'manual_review', decidedBy: SIRI });
  });

  describe('access', () => {
    it('sends a visitor to the staff login, and after it back to the auditor page asked for', async () => {
      const visitor = new CookieAgent(env.t.url);
      const page = await visitor.get(`${BASE}/aktivitet`);
      expect(page.status).toBe(303);
      const login = page.headers.get('location')!;
      expect(login).toBe('/saksbehandler/logg-inn?return=%2Frevisjon%2Faktivitet');
      const start = await visitor.get(login);
      const { callbackUrl } = await browserlessStaffLogin(start.headers.get('location')!, {
        persona: 'auditor',
      });
      const back = await visitor.get(callbackUrl.href);
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe('/revisjon/aktivitet');
      expect((await visitor.get('/revisjon/aktivitet')).status).toBe(200);
    });

    it('refuses finance officers and policy approvers, and never reads a resident’s session there', async () => {
      for (const persona of ['officer', 'approver'] as const) {
        const staff = await loginAsStaff(env.t.url, persona);
        expect([persona, (await staff.get(BASE)).status]).toEqual([persona, 403]);
      }
      const resident = await loginAs(env.t.url, INGRID);
      const res = await resident.get(BASE);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/saksbehandler/logg-inn?return=%2Frevisjon');
    });

    it('links Revisjon in the auditor’s menu and on the staff home page', async () => {
      const home = await (await auditor.get('/saksbehandler')).text();
      expect(home.match(/href="\/revisjon"/g)).toHaveLength(2);
      const officerHome = await (await loginAsStaff(env.t.url, 'officer')).get('/saksbehandler');
      expect(await officerHome.text()).not.toContain('href="/revisjon"');
    });
  });

  describe('search', () => {
    it('lists the municipality’s decisions with counts per outcome and masked identity numbers', async () => {
      const res = await auditor.get(BASE);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(listed(html).sort()).toEqual(
        [kari.reference, ingrid.reference, water.reference].sort(),
      );
      // Approved: Kari's automatically, Ingrid's tax by an officer; rejected: her water bill, by one.
      expect(counts(html, 'approved')).toEqual([1, 1, 2]);
      expect(counts(html, 'rejected')).toEqual([0, 1, 1]);
      expect(counts(html, 'manual_review')).toEqual([0, 0, 0]);
      expect(html).toContain(maskNationalId(KARI));
      for (const pid of [KARI, INGRID]) expect(html).not.toContain(pid);
      expect(html).not.toContain(inB.reference);
    });

    it.each([
      ['utfall=rejected', () => [water]],
      ['avgjort=automatisk', () => [kari]],
      ['avgjort=saksbehandler', () => [ingrid, water]],
      ['type=EIENDOMSSKATT', () => [ingrid]],
      [`saksbehandler=${SIRI}`, () => [ingrid, water]],
      ['utfall=approved&avgjort=automatisk', () => [kari]],
    ])('narrows the list by %s', async (query, expected) => {
      const html = await (await auditor.get(`${BASE}?${query}`)).text();
      expect(listed(html).sort()).toEqual(
        expected()
          .map((r) => r.reference)
          .sort(),
      );
    });

    it('finds a case by its number however it is typed, and by version and period', async () => {
      const byNumber = await auditor.get(
        `${BASE}?referanse=${encodeURIComponent(` ${kari.reference.toLowerCase()} `)}`,
      );
      expect(listed(await byNumber.text())).toEqual([kari.reference]);
      const byVersion = await (await auditor.get(`${BASE}?versjon=${versionA}`)).text();
      expect(listed(byVersion)).toHaveLength(3);
      const today = todayInNorway();
      const byPeriod = await (await auditor.get(`${BASE}?fra=${today}&til=${today}`)).text();
      expect(listed(byPeriod)).toHaveLength(3);
      const before = await (await auditor.get(`${BASE}?fra=2020-01-01&til=2020-12-31`)).text();
      expect(listed(before)).toEqual([]);
      expect(before).toContain('Ingen avgjørelser passer søket');
    });

    it.each([
      ['fra=31.01.2026', 'fra'],
      ['fra=2026-02-01&til=2026-01-01', 'til'],
      ['utfall=maybe', 'utfall'],
      ['utfall=approved&utfall=rejected', 'utfall'],
      ['versjon=11111111-1111-4111-8111-111111111111', 'versjon'],
      ['referanse=UTS-1', 'referanse'],
      ['side=0', 'side'],
    ])('refuses %s with the problem beside its field (400), never a 500', async (query, field) => {
      const res = await auditor.get(`${BASE}?${query}`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`href="#s-${field}"`);
      expect(html).toMatch(new RegExp(`id="s-${field}(-error)?"`));
      expect(listed(html)).toEqual([]);
    });

    it('refuses another municipality’s decisions: not listed, not chosen, not opened', async () => {
      const res = await auditor.get(`${BASE}?kommune=${env.b.id}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('id="s-kommune-error"');
      expect((await auditor.get(`${BASE}/beslutninger/${inB.id}`)).status).toBe(404);
      expect((await auditor.get(`${BASE}/beslutninger/${inB.id}/etterprov`)).status).toBe(404);
      expect(await env.t.em().count(AuditEntry, { subjectId: inB.id })).toBe(0);
    });
  });

  describe('one decision', () => {
    it('shows everything the decision rested on, who decided and the case’s steps from the chain', async () => {
      const res = await auditor.get(`${BASE}/beslutninger/${ingrid.id}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      // The facts, the reasons Ingrid read, the version as sentences and as JSON, the trace.
      expect(html).toContain('<code>requestedDays</code>');
      expect(html).toContain(ingrid.reasons[0].text.nb);
      expect(html).toContain('Innvilges automatisk når');
      expect(html).toContain('&quot;approve-within-limits&quot;');
      expect(html).toContain('review-amount-over-limit');
      // Who decided: the officer by name; the policy's own outcome beside it.
      expect(html).toMatch(/data-testid="decided-by">Saksbehandler Siri Saksbehandler/);
      expect(html).toContain('Sendt til manuell behandling');
      // The case's steps from the chain, the write-back and its result, the messages.
      for (const type of [
        'deferral.decided',
        'case.taken',
        'case.info_requested',
        'case.resident_answered',
        'case.decided',
        'writeback.succeeded',
      ])
        expect([type, html.includes(`data-type="${type}"`)]).toEqual([type, true]);
      expect(html).toContain('Registrert i økonomisystemet');
      expect(html).toContain('Når kommer lønna?');
      expect(html).toContain('Den 20.');
      // The chain holds the question, the answer and the reason as salted hashes: each matches.
      expect(html.match(/data-text-check="matches"/g)).toHaveLength(3);
      expect(html).not.toContain('data-text-check="differs"');
      // Who has looked at it: the officer's opening and this one.
      const opened = /data-testid="opened">(.*?)<\/table>/s.exec(html)![1];
      expect(opened).toContain('Siri Saksbehandler');
      expect(opened).toContain('Runa Revisor');
      expect(html).toContain(maskNationalId(INGRID));
      expect(html).not.toContain(INGRID);
    });

    it('records each opening, and showing the full identity number as such', async () => {
      const entries = () =>
        env.t
          .em()
          .find(
            AuditEntry,
            { subjectId: kari.id, type: 'audit.decision_opened' },
            { orderBy: { seq: 'asc' } },
          );
      expect(await entries()).toHaveLength(0);
      const masked = await (await auditor.get(`${BASE}/beslutninger/${kari.id}`)).text();
      expect(masked).not.toContain(KARI);
      expect(masked).toContain('href="/revisjon/beslutninger/' + kari.id + '?vis=fnr"');
      const full = await (await auditor.get(`${BASE}/beslutninger/${kari.id}?vis=fnr`)).text();
      expect(full).toContain(KARI);
      const recorded = await entries();
      expect(recorded.map((e) => [e.municipalityId, e.payload])).toEqual([
        [
          env.a.id,
          { actor: RUNA, name: 'Runa Revisor', reference: kari.reference, fullNumber: false },
        ],
        [
          env.a.id,
          { actor: RUNA, name: 'Runa Revisor', reference: kari.reference, fullNumber: true },
        ],
      ]);
      // Automatic: decided by the policy version; approved, written back.
      expect(full).toMatch(/data-testid="decided-by">Regelverket, /);
      expect(full).toContain('data-type="writeback.succeeded"');
      const verified = await new AuditVerifier(env.t.app.get(MikroORM).em).verify(env.a.id);
      expect(verified.ok).toBe(true);
    });

    it('answers 404 for an unknown decision and 400 for what is no id, recording nothing', async () => {
      const before = await env.t.em().count(AuditEntry, {});
      expect(
        (await auditor.get(`${BASE}/beslutninger/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`)).status,
      ).toBe(404);
      expect((await auditor.get(`${BASE}/beslutninger/nope`)).status).toBe(400);
      expect(await env.t.em().count(AuditEntry, {})).toBe(before);
    });
  });

  describe('replay', () => {
    it('gives each recorded decision back with its recorded version, the officer’s case’s policy part too', async () => {
      for (const request of [kari, ingrid, water]) {
        const html = await (
          await auditor.get(`${BASE}/beslutninger/${request.id}/etterprov`)
        ).text();
        expect([request.reference, html]).toEqual([
          request.reference,
          expect.stringContaining('Samme resultat'),
        ]);
        expect(html).toContain(
          'data-testid="chain-facts">Opplysningene som er lagret med saken, er de samme',
        );
      }
      const officers = await (
        await auditor.get(`${BASE}/beslutninger/${ingrid.id}/etterprov`)
      ).text();
      expect(officers).toContain('Samme resultat');
      expect(officers).toContain('ble gitt av saksbehandler Siri Saksbehandler');
      expect(officers).toContain('review-amount-over-limit');
    });

    it('replays every decision of a period: all agree', async () => {
      const today = todayInNorway();
      const res = await auditor.get(`${BASE}/etterprov?fra=${today}&til=${today}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Alle 3 avgjørelsene ga samme resultat');
      expect(html).toMatch(/data-testid="batch-agree">3</);
      expect(html).toMatch(/data-testid="batch-differ">0</);
    });

    it('asks for a whole period, beside the field that is missing or wrong', async () => {
      const missing = await auditor.get(`${BASE}/etterprov?fra=${todayInNorway()}`);
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('id="b-til-error"');
      const wrong = await auditor.get(`${BASE}/etterprov?fra=i-går&til=2026-01-01`);
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('id="b-fra-error"');
      // Without a period, the form with the last 30 days filled in, and nothing run.
      const form = await auditor.get(`${BASE}/etterprov`);
      expect(form.status).toBe(200);
      expect(await form.text()).not.toContain('batch-verdict');
    });

    it('names exactly what differs when a stored fact was changed in the database', async () => {
      await env.t
        .em()
        .nativeUpdate(
          DeferralRequest,
          { id: kari.id },
          { facts: { ...kari.facts, amountOre: 2_000_000, unpaidTotalOre: 2_000_000 } },
        );
      const html = await (await auditor.get(`${BASE}/beslutninger/${kari.id}/etterprov`)).text();
      expect(html).toContain('Resultatet avviker fra det som ble lagret');
      const differences = /data-testid="differences">(.*?)<\/table>/s.exec(html)![1];
      expect(differences).toContain('data-what="outcome"');
      expect(differences).toContain('data-what="newDueDate"');
      expect(differences).toContain('<code>review-amount-over-limit</code>');
      expect(differences).toContain('<code>approve-within-limits</code>');
      expect(html).toContain('de er endret etterpå');

      const today = todayInNorway();
      const batch = await (await auditor.get(`${BASE}/etterprov?fra=${today}&til=${today}`)).text();
      expect(batch).toContain('2 av 3 avgjørelser ga samme resultat');
      expect(batch).toContain(
        `href="/revisjon/beslutninger/${kari.id}/etterprov">${kari.reference}`,
      );
      await env.t.em().nativeUpdate(DeferralRequest, { id: kari.id }, { facts: kari.facts });
    });
  });

  describe('staff activity', () => {
    it('lists logins, who opened whose case (masked) and who decided', async () => {
      const res = await auditor.get(`${BASE}/aktivitet`);
      expect(res.status).toBe(200);
      const html = await res.text();
      for (const type of ['staff.login', 'case.opened', 'case.decided', 'audit.decision_opened'])
        expect([type, html.includes(`data-type="${type}"`)]).toEqual([type, true]);
      expect(html).not.toContain('data-type="deferral.decided"');
      expect(html).toContain(`href="/revisjon/beslutninger/${ingrid.id}">${ingrid.reference}`);
      expect(html).toContain(maskNationalId(INGRID));
      expect(html).not.toContain(INGRID);
    });

    it('narrows to one person’s openings of cases', async () => {
      const html = await (
        await auditor.get(`${BASE}/aktivitet?hvem=${encodeURIComponent(SIRI)}&hva=case.opened`)
      ).text();
      const rows = [...html.matchAll(/<tr data-type="([^"]+)">/g)].map((m) => m[1]);
      const opened = await env.t.em().count(AuditEntry, {
        municipalityId: env.a.id,
        type: 'case.opened',
      });
      expect(opened).toBeGreaterThan(0);
      expect(rows).toEqual(Array.from({ length: opened }, () => 'case.opened'));
      expect(html).toContain('Siri Saksbehandler');
      expect(html).not.toContain('Runa Revisor</a>');
    });

    it.each([
      ['hva=deferral.decided', 'hva'],
      ['hvem=Siri', 'hvem'],
      [`kommune=alle`, 'kommune'],
      ['eldre=x', 'eldre'],
    ])('refuses %s beside its field (400)', async (query, field) => {
      const res = await auditor.get(`${BASE}/aktivitet?${query}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`href="#a-${field}"`);
    });
  });

  describe('many decisions', () => {
    it('pages the search 50 at a time and refuses a batch replay over 5000 decisions', async () => {
      const em = env.t.em();
      const { id: _id, ...fields } = kari;
      const rows = Array.from({ length: 5001 }, (_, i) =>
        em.create(DeferralRequest, {
          ...fields,
          reference: `UTS-${String(i).padStart(4, '0')}-OLD0`,
          invoiceId: `old-${i}`,
          createdAt: new Date(Date.UTC(2021, 0, 10, 12, 0, i % 60, Math.floor(i / 60))),
        }),
      );
      await em.insertMany(DeferralRequest, rows);
      const period = 'fra=2021-01-01&til=2021-01-31';
      const first = await (await auditor.get(`${BASE}?${period}`)).text();
      expect(listed(first)).toHaveLength(50);
      expect(first).toContain('5001 avgjørelser, side 1 av 101');
      expect(counts(first, 'approved')).toEqual([5001, 0, 5001]);
      const last = await (await auditor.get(`${BASE}?${period}&side=101`)).text();
      expect(listed(last)).toHaveLength(1);
      expect(last).toContain('rel="prev"');
      expect(last).not.toContain('rel="next"');

      const batch = await auditor.get(`${BASE}/etterprov?${period}`);
      expect(batch.status).toBe(400);
      const html = await batch.text();
      expect(html).toContain('Perioden har 5001 avgjørelser; én etterprøving tar høyst 5000');
      expect(html).toContain('id="b-fra-error"');
    });
  });
});
