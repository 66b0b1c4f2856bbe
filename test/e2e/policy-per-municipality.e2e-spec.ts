import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { RULES_DIR } from '../../src/config/paths';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { DeferralsService } from '../../src/deferrals/deferrals.service';
import { todayInNorway } from '../../src/shared/calendar-date';
import { ActivePolicies } from '../../src/policy/versions/active-policies.service';
import { addDays } from '../../src/shared/calendar-date';
import { bankingDayOnOrAfter, bankingDayOnOrBefore } from '../../src/shared/banking-days';
import { loadPolicy } from '../../src/policy/loading/policy-loader';
import { PolicyVersion } from '../../src/policy/versions/policy-version.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { defaultPolicyJson, setAt } from '../../src/policy/policy.test-factory';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { syntheticPids } from '../../dev/synthetic-pids';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { cutListeningConnections, startTwoInstances, type TestApp } from '../support/test-app';

type Ledger = Awaited<ReturnType<typeof seedLedgerFor>>;

const hashOfFile = (file: string) => {
  const loaded = loadPolicy(readFileSync(join(RULES_DIR, file), 'utf8'));
  if (!loaded.ok) throw new Error(`${file} does not load`);
  return loaded.hash;
};

/** An unpaid invoice not yet deferred, due in the future: the form offers dates for it. */
const openInvoiceOf = (ledger: Ledger, pid: string) =>
  ledger
    .find((e) => e.pid === pid)!
    .invoices.find(
      (i) =>
        i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > todayInNorway(),
    )!;

/** The default policy with its longest deferral changed: a version the form must follow. */
function policyWithMaxDeferralDays(days: number): string {
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxDeferralDays/value', days);
  return JSON.stringify(json);
}

async function decide(
  t: TestApp,
  municipality: Municipality,
  pid: string,
  invoiceId: string,
  newDueDate: string,
) {
  const tenant = {
    id: municipality.id,
    slug: municipality.slug,
    settings: { ...municipality.settings },
  };
  const { request } = await t.app
    .get(DeferralsService)
    .request(tenant, { pid, language: 'nb', origin: t.url }, invoiceId, {
      // The form offers banking days only, and refuses any other.
      newDueDate: bankingDayOnOrAfter(newDueDate),
    });
  return request;
}

describe('The policy in force, per municipality (e2e)', () => {
  let env: PortalWithIdporten;

  beforeAll(async () => {
    env = await startPortalWithIdporten({ WRITEBACK_POLL_MS: '60000' });
  });
  afterAll(() => env.close());

  it('decides in each municipality with its own active version, and each decision records it', async () => {
    const em = env.t.em();
    const standard = await createMunicipality(em);
    const strict = await createMunicipality(em, {
      settings: { financeAdapter: 'embedded', policyFile: 'asdal.policy.json' },
    });
    const ledgers = [await seedLedgerFor(em, standard), await seedLedgerFor(em, strict)];
    env.t.refreshTenants();

    const decisions = [];
    for (const [i, municipality] of [standard, strict].entries()) {
      const invoice = openInvoiceOf(ledgers[i], KARI);
      decisions.push(
        await decide(env.t, municipality, KARI, invoice.id, addDays(invoice.dueDate, 7)),
      );
    }
    // Kari's water bill (about 1 800 kr) is under the default limit (10 000 kr) and over Åsdal's (1 500 kr).
    expect(decisions.map((d) => d.outcome)).toEqual(['approved', 'manual_review']);
    expect(decisions[1].reasons.map((r) => r.code)).toContain('amount-over-limit');

    for (const [i, [municipality, file]] of (
      [
        [standard, 'default.policy.json'],
        [strict, 'asdal.policy.json'],
      ] as const
    ).entries()) {
      const version = await env.t
        .em()
        .findOneOrFail(PolicyVersion, { id: decisions[i].policyVersionId });
      expect(version).toMatchObject({
        municipalityId: municipality.id,
        hash: hashOfFile(file),
        source: file,
      });
      const [entry] = await env.t
        .em()
        .find(AuditEntry, { subjectId: decisions[i].id, type: 'deferral.decided' });
      expect(entry.payload).toMatchObject({
        policy: { versionId: version.id, hash: version.hash },
      });
    }
  });

  it("offers on the invoice page the dates of the municipality's active version, and decides with that version", async () => {
    const em = env.t.em();
    const municipality = await createMunicipality(em, {
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'embedded', policyFile: 'asdal.policy.json' },
    });
    const ledger = await seedLedgerFor(em, municipality);
    env.t.refreshTenants();
    const invoice = openInvoiceOf(ledger, KARI);
    const kari = await loginAs(env.t.url, KARI);
    const offered = async () => {
      const html = await (await kari.get(`/fakturaer/${invoice.id}`)).text();
      const options = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
        (m) => m[1],
      );
      return { last: options[options.length - 1], csrf: CookieAgent.csrfToken(html) };
    };

    expect((await offered()).last).toBe(bankingDayOnOrBefore(addDays(invoice.dueDate, 21)));

    const versions = env.t.app.get(PolicyVersionsService);
    const added = await versions.addVersion(
      municipality.id,
      policyWithMaxDeferralDays(45),
      'staff:test-officer',
    );
    if (!added.ok) throw new Error('the test policy was refused');
    await versions.activate(municipality.id, added.version.id, 'staff:test-officer');

    const form = await offered();
    expect(form.last).toBe(bankingDayOnOrBefore(addDays(invoice.dueDate, 45)));
    const res = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: form.csrf,
      newDueDate: form.last,
    });
    expect(res.status).toBe(303);
    const request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId: invoice.id });
    expect(request.policyVersionId).toBe(added.version.id);

    // Both the seeding and the activation are in the municipality's chain, which still verifies.
    const activations = await env.t
      .em()
      .find(
        AuditEntry,
        { municipalityId: municipality.id, type: 'policy.activated' },
        { orderBy: { seq: 'asc' } },
      );
    expect(activations.map((e) => e.payload.activatedBy)).toEqual([
      'seed:asdal.policy.json',
      'staff:test-officer',
    ]);
    expect(activations[1].subjectId).toBe(added.version.id);
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });
  });
});

// Several instances need a shared server: SQLite is one process (the tests above cover it there).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
(onPostgres ? describe : describe.skip)(
  'The policy in force, across two instances on PostgreSQL (e2e)',
  () => {
    let a: TestApp;
    let b: TestApp;
    let close: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ a, b, close } = await startTwoInstances({ WRITEBACK_WORKER: 'off' }));
    });
    afterAll(async () => {
      await close?.();
    });

    it('seeds a municipality once when both instances do it at the same moment', async () => {
      const municipality = await createMunicipality(a.em());
      const tenant = {
        id: municipality.id,
        slug: municipality.slug,
        settings: municipality.settings,
      };
      const results = await Promise.all([
        a.app.get(PolicyVersionsService).seed(tenant),
        b.app.get(PolicyVersionsService).seed(tenant),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(
        await a
          .em()
          .count(AuditEntry, { municipalityId: municipality.id, type: 'policy.activated' }),
      ).toBe(1);
    });

    it('uses a newly activated version on both instances within a second', async () => {
      const municipality = await createMunicipality(a.em());
      const pids = syntheticPids(4, seededRandom(12));
      const ledger = await seedLedgerFor(
        a.em(),
        municipality,
        todayInNorway(),
        pids.map((pid) => ({ pid, name: 'Test', municipality: 'fjordvik' as const })),
      );
      const decideOn = (t: TestApp, pid: string) => {
        const invoice = openInvoiceOf(ledger, pid);
        return decide(t, municipality, pid, invoice.id, addDays(invoice.dueDate, 7));
      };
      const before = await Promise.all([decideOn(a, pids[0]), decideOn(b, pids[1])]);
      expect(before[0].policyVersionId).toBe(before[1].policyVersionId);
      const inForce = (t: TestApp) => t.app.get(ActivePolicies).activeFor(municipality.id);
      // Both instances hold the version in memory: asking again reads nothing from the database,
      // so only the notification can tell them of the change below.
      for (const t of [a, b]) {
        expect(t.app.get(ActivePolicies).isListening()).toBe(true);
        await inForce(t);
      }
      const reads = [a, b].map((t) => jest.spyOn(t.app.get(PolicyVersionsService), 'readActive'));
      for (const t of [a, b]) expect((await inForce(t)).versionId).toBe(before[0].policyVersionId);
      expect(reads.map((read) => read.mock.calls.length)).toEqual([0, 0]);
      reads.forEach((read) => read.mockRestore());

      const versions = a.app.get(PolicyVersionsService);
      const added = await versions.addVersion(
        municipality.id,
        policyWithMaxDeferralDays(40),
        'staff:test-officer',
      );
      if (!added.ok) throw new Error('the test policy was refused');
      await versions.activate(municipality.id, added.version.id, 'staff:test-officer');

      const deadline = Date.now() + 1000;
      let seen = [false, false];
      while (Date.now() < deadline && !seen.every(Boolean)) {
        seen = await Promise.all(
          [a, b].map(async (t) => (await inForce(t)).versionId === added.version.id),
        );
        if (!seen.every(Boolean)) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toEqual([true, true]);

      const after = await Promise.all([decideOn(a, pids[2]), decideOn(b, pids[3])]);
      expect(after.map((d) => d.policyVersionId)).toEqual([added.version.id, added.version.id]);
    });

    it('still uses a newly activated version when its listening connection was cut, and listens again', async () => {
      const municipality = await createMunicipality(a.em());
      const seeded = await b.app.get(ActivePolicies).activeFor(municipality.id);
      // PostgreSQL ends both instances' LISTEN connections, as a failover or a restart would.
      const ended = await cutListeningConnections(a, 'policy_activated');
      expect(ended).toBe(2);
      const versions = a.app.get(PolicyVersionsService);
      const added = await versions.addVersion(
        municipality.id,
        policyWithMaxDeferralDays(35),
        'staff:test-officer',
      );
      if (!added.ok) throw new Error('the test policy was refused');
      await versions.activate(municipality.id, added.version.id, 'staff:test-officer');
      expect(added.version.id).not.toBe(seeded.versionId);

      const deadline = Date.now() + 1000;
      let seen = '';
      while (Date.now() < deadline && seen !== added.version.id) {
        seen = (await b.app.get(ActivePolicies).activeFor(municipality.id)).versionId;
        if (seen !== added.version.id) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toBe(added.version.id);

      const listening = Date.now() + 10_000;
      while (Date.now() < listening && !b.app.get(ActivePolicies).isListening())
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(b.app.get(ActivePolicies).isListening()).toBe(true);
    });
  },
);
