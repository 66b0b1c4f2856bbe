import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { expectAccessible, launchBrowser, watchForProblems } from '../support/browser';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';

/**
 * Kari's proof that her decision is in the audit chain, in Chromium: the case page names the entry
 * (the whole hash wrapping, not scrolling, at 360 px), says the proof waits for a checkpoint, then
 * offers it; Runa checks the downloaded file on the auditors' page. Each page passes axe at 360 and
 * 1280 px in both colour schemes (JavaScript stays on: axe needs it, the pages have none).
 */
describe('A resident’s audit proof in Chromium', () => {
  let env: PortalWithStaff;
  let browser: Browser;
  let request: DeferralRequest;
  let entry: AuditEntry;
  let proofText: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_WORKER: 'off' });
    const ledger = await seedLedgerFor(env.t.em(), env.a, todayInNorway(), [{ pid: KARI }]);
    env.t.refreshTenants();
    const invoiceId = ledger[0].invoices.find((i) => i.status === 'UNPAID')!.id;
    const agent = await loginAs(env.t.url, KARI);
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const dates = [...html.matchAll(/value="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))![1],
      newDueDate: dates[2],
    });
    request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId });
    entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'deferral.decided' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await env?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'nb-NO',
      acceptDownloads: true,
    });
    contexts.push(context);
    return context.newPage();
  }

  it('names the entry on the case page, says when the proof is ready, then downloads it', async () => {
    const page = await newPage();
    const problems = watchForProblems(page);
    await page.goto(`${env.t.url}/auth/login`);
    await page
      .locator('input[name="pid"][type="text"], input[name="pid"]:not([type])')
      .first()
      .fill(KARI);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/fakturaer`);

    await page.goto(`${env.t.url}/saker/${request.reference}`);
    await expect(page.getByTestId('audit-entry').textContent()).resolves.toBe(
      `Revisjonsspor: oppføring nr. ${entry.seq}, kontrollsum ${entry.hash}`,
    );
    await expect(page.getByTestId('proof-not-ready').textContent()).resolves.toContain(
      'innen 60 minutter',
    );
    await expectAccessible(page, 'case page, proof not ready');

    await env.t.app.get(AuditCheckpoints).checkpointNow(env.a.id);
    await page.reload();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Last ned beviset (JSON-fil)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`revisjonsbevis-${request.reference}.json`);
    proofText = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(proofText)).toMatchObject({ entry: { hash: entry.hash } });
    await expectAccessible(page, 'case page with the proof');
    expect(problems).toEqual([]);
  }, 240_000);

  it('lets an auditor check the proof on the auditors’ page, and refuses text that is no proof beside the field', async () => {
    const page = await newPage();
    await page.goto(`${env.t.url}/revisjon/bevis`);
    await page.waitForURL(`${env.idporten.issuer}/**`);
    await page.getByLabel('Runa Revisor').check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL(`${env.t.url}/revisjon/bevis`);
    await expectAccessible(page, 'proof page');

    await page.getByLabel('Innholdet i bevisfilen (JSON)').fill(proofText);
    await page.getByRole('button', { name: 'Kontroller beviset' }).click();
    await expect(page.getByTestId('proof-verdict').textContent()).resolves.toContain(
      'Beviset holder',
    );
    await expect(page.getByTestId('proof-chain').textContent()).resolves.toContain(
      `samme kontrollsum ved oppføring nr. ${entry.seq}`,
    );
    await expectAccessible(page, 'proof verdict');

    await page.getByLabel('Innholdet i bevisfilen (JSON)').fill('ikke json');
    await page.getByRole('button', { name: 'Kontroller beviset' }).click();
    await expect(page.locator('#bevis-error').textContent()).resolves.toContain(
      'Teksten er ikke JSON.',
    );
    await expect(page.getByLabel('Innholdet i bevisfilen (JSON)').inputValue()).resolves.toBe(
      'ikke json',
    );
    await expectAccessible(page, 'proof refused');
  }, 240_000);
});
