import { createPublicKey } from 'node:crypto';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifyExport } from '../../src/audit/export/export-verifier';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyDraftsService } from '../../src/policy/drafts/policy-drafts.service';
import { defaultPolicyJson, setAt } from '../../src/policy/policy.test-factory';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { todayInNorway } from '../../src/shared/calendar-date';
import { maskNationalId } from '../../src/shared/national-identity-number';
import { launchBrowser, watchForProblems, expectAccessible } from '../support/browser';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

/**
 * The auditor journey in Chromium: Runa Revisor logs in, searches the decisions, opens
 * Kari's automatic approval (and its full identity number, which is recorded), replays it, replays
 * the day's decisions, reads the staff activity, exports, and reads the policy history and a
 * version's changes. Every page is checked with axe at 360 and 1280 px in both colour schemes.
 */
describe('The auditor pages in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;
  let kari: DeferralRequest;
  let ingrid: DeferralRequest;
  const contexts: BrowserContext[] = [];

  /** A resident asks for the `index`-th date offered on one of their invoices. */
  async function ask(pid: string, invoiceId: string, index: number) {
    const agent = await loginAs(env.t.url, pid);
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    // A date list or radio buttons, whichever the form offers.
    const offered = /(?:<option|name="newDueDate")[^>]*value="(\d{4}-\d{2}-\d{2})"/g;
    const dueDate = [...html.matchAll(offered)][index][1];
    const asked = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    const reference = asked.headers.get('location')!.split('/').pop()!;
    return env.t.em().findOneOrFail(DeferralRequest, { reference });
  }

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_POLL_MS: '100' });
    const ledger = await seedLedgerFor(env.t.em(), env.a, todayInNorway(), [
      { pid: KARI },
      { pid: INGRID },
    ]);
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
    env.t.refreshTenants();
    const invoices = (pid: string) => ledger.find((e) => e.pid === pid)!.invoices;
    const today = todayInNorway();
    kari = await ask(
      KARI,
      invoices(KARI).find((i) => i.status === 'UNPAID' && i.dueDate > today)!.id,
      13,
    );
    ingrid = await ask(INGRID, invoices(INGRID).find((i) => i.category === 'EIENDOMSSKATT')!.id, 5);
    // A second version of the policy, with a lower amount limit, for the history's diff.
    const drafts = env.t.app.get(PolicyDraftsService);
    const draft = await drafts.createFromActive(env.a.id, { actor: 'staff:officer-olav' });
    const json = defaultPolicyJson();
    setAt(json, '/parameters/maxAmountOre/value', 150_000);
    await drafts.save(env.a.id, draft.id, JSON.stringify(json), { actor: 'staff:officer-olav' });
    await drafts.submit(env.a.id, draft.id, { actor: 'staff:officer-olav' }, 'Lower limit');
    await drafts.approve(env.a.id, draft.id, { actor: 'staff:approver-astrid' }, 'Agreed');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await env?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nb-NO',
    });
    contexts.push(context);
    return context.newPage();
  }

  it('searches, opens a decision, replays it and the day’s decisions, reads the staff activity, exports, and reads the policy history', async () => {
    expect([kari.outcome, ingrid.outcome]).toEqual(['approved', 'manual_review']);
    const page = await newPage();
    const problems = watchForProblems(page);

    // Runa logs in from the auditor pages' address and comes back to them.
    await page.goto(`${env.t.url}/revisjon`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel('Runa Revisor').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/revisjon`);
    const decisions = page.getByTestId('decisions');
    await expect(decisions.textContent()).resolves.toContain(kari.reference);
    await expect(decisions.textContent()).resolves.toContain(maskNationalId(KARI));
    await expect(page.locator('main').textContent()).resolves.not.toContain(KARI);
    await expectAccessible(page, 'search');

    // Only the approvals made by the policy.
    await page.getByLabel('Utfall', { exact: true }).selectOption('approved');
    await page.getByLabel('Avgjort av', { exact: true }).selectOption('automatisk');
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    await page.waitForURL(/utfall=approved/);
    await expect(decisions.textContent()).resolves.toContain(kari.reference);
    await expect(decisions.textContent()).resolves.not.toContain(ingrid.reference);
    await expect(
      page.getByTestId('outcome-counts').locator('tr[data-outcome="approved"]').textContent(),
    ).resolves.toMatch(/Innvilget\s*1\s*0\s*1/);

    // A case number that is none: the problem beside its field.
    await page.getByLabel('Saksnummer', { exact: true }).fill('UTS-1');
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    await expect(page.locator('#s-referanse-error').textContent()).resolves.toBe(
      'Verdien har feil form.',
    );
    await expectAccessible(page, 'search with a problem');
    await page.getByLabel('Saksnummer', { exact: true }).fill(kari.reference.toLowerCase());
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    await page.getByRole('link', { name: kari.reference }).click();

    // The decision: masked until asked, and asking is recorded.
    await page.waitForURL(`${env.t.url}/revisjon/beslutninger/${kari.id}`);
    await expect(page.getByTestId('resident-pid').textContent()).resolves.toBe(
      maskNationalId(KARI),
    );
    await expect(page.getByTestId('decided-by').textContent()).resolves.toContain('Regelverket');
    await expectAccessible(page, 'decision');
    await page.getByTestId('show-number').click();
    await expect(page.getByTestId('resident-pid').textContent()).resolves.toBe(KARI);
    const opened = await env.t
      .em()
      .find(AuditEntry, { subjectId: kari.id, type: 'audit.decision_opened' });
    expect(opened.map((e) => (e.payload as { fullNumber: boolean }).fullNumber).sort()).toEqual([
      false,
      true,
    ]);

    // Replay: the same decision again, through json-rules-engine.
    await page.getByRole('link', { name: 'Etterprøv avgjørelsen' }).click();
    await expect(page.getByTestId('replay-verdict').textContent()).resolves.toContain(
      'Samme resultat',
    );
    await expectAccessible(page, 'replay');

    // The day's decisions, all replayed.
    await page.getByRole('link', { name: 'Etterprøv en periode' }).click();
    const today = todayInNorway();
    await page.getByLabel('Fra og med dato').fill(today);
    await page.getByLabel('Til og med dato').fill(today);
    await page.getByRole('button', { name: 'Etterprøv', exact: true }).click();
    await expect(page.getByTestId('batch-verdict').textContent()).resolves.toBe(
      'Alle 2 avgjørelsene ga samme resultat.',
    );
    await expectAccessible(page, 'batch replay');

    // Staff activity: Runa's own login and her openings of Kari's decision.
    await page.getByRole('link', { name: 'Ansattes aktivitet' }).click();
    const activity = page.getByTestId('activity');
    await expect(activity.locator('tr[data-type="audit.decision_opened"]').count()).resolves.toBe(
      2,
    );
    await expect(activity.textContent()).resolves.toContain(maskNationalId(KARI));
    await expectAccessible(page, 'activity');

    // Export: sign the head now, then download the day's chain as JSON Lines.
    await page.getByRole('link', { name: 'Eksport og nøkkel' }).click();
    await page.getByRole('button', { name: 'Lag et kontrollpunkt nå' }).click();
    await expect(page.getByTestId('latest-checkpoint').textContent()).resolves.toContain(
      'Siste kontrollpunkt',
    );
    await expectAccessible(page, 'export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^revisjonslogg-.+\.jsonl$/);
    // The offline verifier accepts the file, with the key as the page shows it.
    const pem = (await page.getByTestId('public-key').textContent())!.trim();
    const saved = join(mkdtempSync(join(tmpdir(), 'revisjon-')), download.suggestedFilename());
    await download.saveAs(saved);
    const lines = createInterface({ input: createReadStream(saved), crlfDelay: Infinity });
    const report = await verifyExport(lines, [createPublicKey(pem)]);
    expect(report).toMatchObject({ ok: true, checkpointsVerified: 1 });
    expect(report.entries).toBeGreaterThan(0);

    // Verify the whole chain: the run's page reloads itself until the verdict is there.
    await page.getByRole('link', { name: 'Kontroller loggen' }).click();
    await expectAccessible(page, 'verification form');
    await page.getByRole('button', { name: 'Start kontrollen' }).click();
    await page.waitForURL(/\/revisjon\/verifiser\/[0-9a-f-]{36}$/);
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 60_000 });
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('sound');
    await expect(verdict.textContent()).resolves.toContain('Revisjonsloggen er i orden');
    await expectAccessible(page, 'verification result');

    // The policy history: both versions, and the newer one's changes from the seeded one.
    await page.getByRole('link', { name: 'Regelverkshistorikk' }).click();
    await expect(page.getByTestId('policy-versions').locator('tbody tr').count()).resolves.toBe(2);
    await expectAccessible(page, 'policy history');
    await page
      .getByTestId('policy-versions')
      .locator('tbody tr')
      .first()
      .getByRole('link')
      .first()
      .click();
    await expect(page.getByTestId('parameter-changes').textContent()).resolves.toMatch(
      /Beløpsgrense.*10\s000\skr.*1\s500\skr/s,
    );
    await expectAccessible(page, 'policy version and its changes');

    // The refused case number answered 400 on purpose; nothing else may go wrong.
    expect(problems.filter((p) => !/referanse=UTS-1|status of 400/.test(p))).toEqual([]);
  }, 180_000);
});
