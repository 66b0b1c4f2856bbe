import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { todayInNorway } from '../../src/shared/calendar-date';
import { launchBrowser, watchForProblems, expectAccessible } from '../support/browser';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { syntheticPid } from '../support/resident-factory';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

/** A resident of A with one open water bill (about 1 800 kr) and nothing else going on. */
const PER = syntheticPid(505);

/**
 * The journey in Chromium: an officer lowers the amount limit in the form, sees the
 * simulation's changed cases and submits; the approver approves; a resident's next request is
 * decided by the new version (recorded on its audit entry); a rollback through the same four eyes
 * restores the old version. Every staff page on the way is checked with axe at 360 and 1280 px in
 * both colour schemes.
 */
describe('Managing the deferral policy in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await startPortalWithStaff();
    ledger = await seedLedgerFor(env.t.em(), env.a, todayInNorway(), [{ pid: KARI }, { pid: PER }]);
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
    env.t.refreshTenants();
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

  async function staffLogin(page: Page, path: string, name: string): Promise<void> {
    await page.goto(`${env.t.url}${path}`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel(name).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}${path}`);
  }

  /** A resident asks for a deferral of their open water bill; the receipt's case reference. */
  async function askForDeferral(page: Page, pid: string): Promise<string> {
    await page.goto(`${env.t.url}/auth/login`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.locator('#pid').fill(pid);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);
    const invoice = ledger
      .find((e) => e.pid === pid)!
      .invoices.find((i) => i.status === 'UNPAID' && i.dueDate > todayInNorway())!;
    await page.goto(`${env.t.url}/fakturaer/${invoice.id}`);
    await page.getByRole('group', { name: 'Ny forfallsdato' }).getByRole('radio').nth(6).check();
    await page.getByRole('button', { name: 'Be om utsettelse' }).click();
    await page.waitForURL(/\/saker\/UTS-/);
    return (await page.getByTestId('reference').textContent())!.trim();
  }

  it('takes a lower limit from the form through simulation, submission and approval into force, and back again by rollback', async () => {
    const versions = env.t.app.get(PolicyVersionsService);
    const original = (await versions.readActive(env.a.id))!;

    // Kari's request under the version in force: approved. It becomes a past request to simulate.
    const kariReference = await askForDeferral(await newPage(), KARI);

    const officer = await newPage();
    const officerProblems = watchForProblems(officer);
    await staffLogin(officer, '/saksbehandler/regelverk', 'Siri Saksbehandler');
    await expect(officer.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Regelverk for betalingsutsettelse',
    );
    await expect(officer.locator('.rule-sentences').textContent()).resolves.toContain(
      'beløpet er under 10\u00a0000\u00a0kr',
    );
    await expectAccessible(officer, 'policy overview');

    await officer.getByRole('button', { name: 'Lag et utkast fra regelverket i bruk' }).click();
    await officer.waitForURL(/\/saksbehandler\/regelverk\/utkast\/[0-9a-f-]{36}$/);
    const draftUrl = officer.url();
    await expectAccessible(officer, 'draft');
    // A value that is not an amount is refused beside its field, and keeps what was typed.
    await officer.locator('#param-maxAmountOre').fill('tusen');
    await officer.getByRole('button', { name: 'Lagre grensene' }).click();
    await expect(officer.locator('#param-maxAmountOre-error').isVisible()).resolves.toBe(true);
    await expect(officer.locator('#param-maxAmountOre').inputValue()).resolves.toBe('tusen');
    await expectAccessible(officer, 'draft with an error');
    await officer.locator('#param-maxAmountOre').fill('1 000');
    await officer.getByRole('button', { name: 'Lagre grensene' }).click();
    await expect(officer.getByRole('status').first().textContent()).resolves.toContain(
      'Utkastet er lagret',
    );

    // Try on Kari's case: the draft sends it to an officer where the version in force approved it.
    await officer.getByRole('link', { name: 'Prøv på én sak' }).click();
    await officer.locator('#fact-referanse').fill(kariReference);
    await officer.getByRole('button', { name: 'Prøv' }).first().click();
    await expect(officer.getByRole('status').first().textContent()).resolves.toContain(
      'Utkastet gir et annet utfall',
    );
    await expectAccessible(officer, 'try');

    await officer.goto(`${draftUrl}/simulering`);
    await expectAccessible(officer, 'simulation form');
    await officer.getByRole('button', { name: 'Simuler' }).click();
    await officer.waitForURL(/\/simulering\/[0-9a-f-]{36}$/);
    // The page reloads itself while the simulation runs; the result replaces the progress bar.
    await officer.getByTestId('changed-summary').waitFor({ timeout: 30_000 });
    await expect(officer.getByRole('link', { name: kariReference }).count()).resolves.toBe(1);
    await expectAccessible(officer, 'simulation result');

    await officer.goto(draftUrl);
    await officer.getByLabel('Kommentar til den som skal godkjenne (valgfritt)').fill('Som Åsdal');
    await officer.getByRole('button', { name: 'Send til godkjenning' }).click();
    await expect(officer.locator('h1').textContent()).resolves.toContain('venter på godkjenning');
    // The drafter is no approver: no approval form for them.
    await expect(
      officer.getByRole('button', { name: 'Godkjenn og ta i bruk' }).count(),
    ).resolves.toBe(0);

    const approver = await newPage();
    await staffLogin(approver, new URL(draftUrl).pathname, 'Arne Godkjenner');
    await expectAccessible(approver, 'draft under review');
    await approver.getByLabel('Kommentar').fill('Vedtatt i formannskapet');
    await approver.getByRole('button', { name: 'Godkjenn og ta i bruk' }).click();
    await approver.waitForURL(/\/saksbehandler\/regelverk\?publisert=/);
    await expect(approver.locator('.rule-sentences').textContent()).resolves.toContain(
      'beløpet er under 1\u00a0000\u00a0kr',
    );
    const published = (await versions.readActive(env.a.id))!;
    expect(published.versionId).not.toBe(original.versionId);

    // Per's request, the next one: decided by the new version, which his audit entry names.
    const perReference = await askForDeferral(await newPage(), PER);
    const request = await env.t.em().findOneOrFail(DeferralRequest, { reference: perReference });
    expect(request.policyVersionId).toBe(published.versionId);
    expect(request.outcome).toBe('manual_review');
    const [decided] = await env.t
      .em()
      .find(AuditEntry, { subjectId: request.id, type: 'deferral.decided' });
    expect(decided.payload).toMatchObject({ policy: { versionId: published.versionId } });

    // Rollback to the original version: drafted by the officer, approved by the approver.
    await officer.goto(`${env.t.url}/saksbehandler/regelverk/versjoner/${original.versionId}`);
    await expectAccessible(officer, 'version');
    await officer.getByRole('button', { name: 'Lag utkast om å gå tilbake til denne' }).click();
    await officer.waitForURL(/\/utkast\/[0-9a-f-]{36}$/);
    const rollbackUrl = officer.url();
    await officer.getByRole('button', { name: 'Send til godkjenning' }).click();
    await approver.goto(rollbackUrl);
    await approver.getByLabel('Kommentar').fill('Tilbake til standard');
    await approver.getByRole('button', { name: 'Godkjenn og ta i bruk' }).click();
    await approver.waitForURL(/\/saksbehandler\/regelverk\?publisert=/);
    expect((await versions.readActive(env.a.id))!.versionId).toBe(original.versionId);
    await expect(approver.locator('.rule-sentences').textContent()).resolves.toContain(
      'beløpet er under 10\u00a0000\u00a0kr',
    );
    expect(officerProblems.filter((p) => !/^400 |status of 400/.test(p))).toEqual([]);
  }, 300_000); // a long journey, with four axe runs on each of seven pages (a loaded CI machine took over 120 s)
});
