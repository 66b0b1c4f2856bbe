import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyDraftsService } from '../../src/policy/drafts/policy-drafts.service';
import { defaultPolicyJson, setAt } from '../../src/policy/policy.test-factory';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { todayInNorway } from '../../src/shared/calendar-date';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/revisjon/regelverk';
const OFFICER = { actor: 'staff:officer-olav', name: 'Olav Officer' };
const APPROVER = { actor: 'staff:approver-astrid', name: 'Astrid Approver' };
const NBSP = '\u00a0';

/**
 * The default policy with a lower amount limit, and its rule for invoices deferred before renamed
 * (removed under the old name, added under the new): a parameter, a rule removed and one added.
 */
function secondVersion(): string {
  const json = defaultPolicyJson() as { rules: { name: string }[] };
  setAt(json, '/parameters/maxAmountOre/value', 150_000);
  const rule = json.rules.find((r) => r.name === 'reject-already-deferred')!;
  rule.name = 'reject-deferred-before';
  return JSON.stringify(json, null, 2);
}

/** An attribute's text as the page escaped it (Handlebars escapes `=` and `&`). */
const decode = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The rows of the history's table, newest first: the version's id, decisions and periods. */
function rows(html: string) {
  return [...html.matchAll(/<tr data-version="([^"]+)">(.*?)<\/tr>/gs)].map(([, id, row]) => ({
    id,
    decisions: Number(/data-testid="decision-count">(\d+)</.exec(row)?.[1]),
    periods: [...row.matchAll(/<li data-current="(true|false)">/g)].map((m) => m[1] === 'true'),
    row,
  }));
}

describe('The auditors’ policy history (e2e)', () => {
  let env: PortalWithStaff;
  let auditor: CookieAgent;
  let first: string;
  let second: string;
  let inB: string;
  const decisions: DeferralRequest[] = [];

  /** A resident asks for the `index`-th date offered on one of their invoices. */
  async function ask(pid: string, invoiceId: string, index = 5) {
    const agent = await loginAs(env.t.url, pid);
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    // The dates offered (a list of options, or of radio buttons).
    const offered = /(?:<option|name="newDueDate"[^>]*) value="(\d{4}-\d{2}-\d{2})"/g;
    const dueDate = [...html.matchAll(offered)][index][1];
    const asked = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    expect(asked.status).toBe(303);
    const reference = asked.headers.get('location')!.split('/').pop()!;
    const request = await env.t.em().findOneOrFail(DeferralRequest, { reference });
    decisions.push(request);
    return request;
  }

  /** Drafted by the officer, approved by the approver: as the policy pages do it. */
  async function publish(draftId: string, comment: string) {
    const drafts = env.t.app.get(PolicyDraftsService);
    await expect(
      drafts.submit(env.a.id, draftId, OFFICER, `Drafted: ${comment}`),
    ).resolves.toMatchObject({ ok: true });
    await drafts.approve(env.a.id, draftId, APPROVER, `Approved: ${comment}`);
  }

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_WORKER: 'off' });
    const versions = env.t.app.get(PolicyVersionsService);
    const drafts = env.t.app.get(PolicyDraftsService);
    await versions.seedById(env.a.id);
    await versions.seedById(env.b.id);
    first = (await versions.readActive(env.a.id))!.versionId;
    inB = (await versions.readActive(env.b.id))!.versionId;
    const ledger = await seedLedgerFor(env.t.em(), env.a);
    env.t.refreshTenants();
    const invoices = (pid: string) => ledger.find((e) => e.pid === pid)!.invoices;
    const today = todayInNorway();
    const kari = invoices(KARI).filter(
      (i) => i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > today,
    );

    // One decision under the seeded version; the second version; one decision under it; a
    // rollback to the first; one more decision under the first.
    await ask(KARI, kari[0].id, 13);
    const change = await drafts.createFromActive(env.a.id, OFFICER);
    await drafts.save(env.a.id, change.id, secondVersion(), OFFICER);
    await publish(change.id, 'lower limit');
    second = (await versions.readActive(env.a.id))!.versionId;
    await ask(INGRID, invoices(INGRID).find((i) => i.category === 'EIENDOMSSKATT')!.id);
    const rollback = await drafts.createRollback(env.a.id, first, OFFICER);
    await publish(rollback.id, 'back to the standard');
    expect((await versions.readActive(env.a.id))!.versionId).toBe(first);
    await ask(INGRID, invoices(INGRID).find((i) => i.category === 'VANN_AVLOP')!.id, 0);

    auditor = await loginAsStaff(env.t.url, 'auditor');
  });
  afterAll(() => env?.close());

  it('made the decisions under the versions the tests count', () => {
    expect(second).not.toBe(first);
    expect(decisions.map((d) => d.policyVersionId)).toEqual([first, second, first]);
  });

  describe('the list', () => {
    it('shows every version newest first, with its decisions and periods in force', async () => {
      const res = await auditor.get(BASE);
      expect(res.status).toBe(200);
      const html = await res.text();
      const listed = rows(html);
      expect(listed.map((r) => [r.id, r.decisions, r.periods])).toEqual([
        [second, 1, [false]],
        // Rolled back to: a second period, in force now.
        [first, 2, [false, true]],
      ]);
      expect(html).not.toContain(inB);
      expect(html).toContain('aria-current="page">Regelverkshistorikk<');
    });

    it('names who drafted and approved each version, their comments, and who rolled back', async () => {
      const [newer, older] = rows(await (await auditor.get(BASE)).text());
      expect(newer.row).toContain('Olav Officer (endring)');
      expect(newer.row).toContain('Astrid Approver, ');
      expect(newer.row).toContain('«Drafted: lower limit»');
      expect(newer.row).toContain('«Approved: lower limit»');
      expect(newer.row).toContain(`${BASE}/${second}`);
      expect(older.row).toContain('lagt inn fra rules/default.policy.json');
      expect(older.row).toContain(
        'tilbakerulling godkjent av Astrid Approver: «Approved: back to the standard»',
      );
    });

    it('links each count to the search narrowed to the version, which lists as many', async () => {
      const html = await (await auditor.get(BASE)).text();
      const row = rows(html).find((r) => r.id === second)!.row;
      const href = /href="([^"]+)" data-testid="decision-count"/.exec(row)?.[1];
      expect(href && decode(href)).toBe(`/revisjon?kommune=${env.a.id}&versjon=${second}`);
      const search = await (await auditor.get(decode(href!))).text();
      expect([...search.matchAll(/>(UTS-[0-9A-Z]{4}-[0-9A-Z]{4})</g)].map((m) => m[1])).toEqual([
        decisions[1].reference,
      ]);
    });
  });

  describe('one version', () => {
    it('names the changed parameter with its old and new value, and the rule removed and the one added', async () => {
      const res = await auditor.get(`${BASE}/${second}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const parameter = /<tr data-parameter="maxAmountOre" data-change="changed">(.*?)<\/tr>/s.exec(
        html,
      )?.[1];
      expect(parameter).toContain('Beløpsgrense');
      expect(parameter).toContain(`10${NBSP}000${NBSP}kr`);
      expect(parameter).toContain(`<strong>1${NBSP}500${NBSP}kr</strong>`);
      expect(html.match(/<tr data-parameter=/g)).toHaveLength(1);
      const rules = [...html.matchAll(/<li data-rule="([^"]+)" data-change="([^"]+)">/g)].map(
        (m) => [m[1], m[2]],
      );
      expect(rules).toEqual([
        ['reject-deferred-before', 'added'],
        ['reject-already-deferred', 'removed'],
      ]);
      expect(html).toContain('Avslås når fakturaen er utsatt fra før.');
      expect(html).toContain(`Sammenlignet med standard-betalingsutsettelse 2026.1`);
      expect(html).toContain(`href="${BASE}/${first}"`);
    });

    it('shows the drafter, approver, comments, periods, decisions and the rules as sentences and JSON', async () => {
      const html = await (await auditor.get(`${BASE}/${second}`)).text();
      expect(html).toContain(
        'Olav Officer (endring): «<span class="pre-line">Drafted: lower limit</span>»',
      );
      expect(html).toContain('«<span class="pre-line">Approved: lower limit</span>»');
      expect(html).toContain(
        'data-testid="decision-count">Avgjørelser tatt etter denne versjonen: 1<',
      );
      expect(decode(html)).toContain(`href="/revisjon?kommune=${env.a.id}&versjon=${second}"`);
      expect(html.match(/<li data-current="false">/g)).toHaveLength(1);
      expect(html).not.toContain('<li data-current="true">');
      expect(html).toContain('Innvilges automatisk når');
      expect(html).toContain('&quot;reject-deferred-before&quot;');
    });

    it('says the first version has no predecessor, and gives it both its periods', async () => {
      const html = await (await auditor.get(`${BASE}/${first}`)).text();
      expect(html).toContain('data-testid="no-predecessor"');
      expect(html).not.toContain('data-testid="previous"');
      expect(html).toContain('Avgjørelser tatt etter denne versjonen: 2');
      expect(html.match(/<li data-current="(true|false)">/g)).toEqual([
        '<li data-current="false">',
        '<li data-current="true">',
      ]);
      expect(html).toContain('Avslås når fakturaen er utsatt fra før.');
    });

    it('is linked from the page of a decision made under it', async () => {
      const html = await (await auditor.get(`/revisjon/beslutninger/${decisions[1].id}`)).text();
      expect(html).toContain(`href="${BASE}/${second}" data-testid="version-history-link"`);
    });

    it('answers 404 for a version of a municipality the auditor does not serve, or none, and 400 for no id', async () => {
      expect((await auditor.get(`${BASE}/${inB}`)).status).toBe(404);
      expect((await auditor.get(`${BASE}/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`)).status).toBe(404);
      expect((await auditor.get(`${BASE}/nope`)).status).toBe(400);
    });

    it('records nothing: reading policy text is no state change', async () => {
      const before = await env.t.em().count(AuditEntry, {});
      for (const path of [BASE, `${BASE}/${first}`, `${BASE}/${second}`])
        expect((await auditor.get(path)).status).toBe(200);
      expect(await env.t.em().count(AuditEntry, {})).toBe(before);
    });
  });
});
