import {
  demoFinanceChoice,
  demoFinanceLine,
  standInSecretPlaceholders,
  startDemoStandIn,
  useDemoEmbeddedLedger,
  type DemoStandIn,
} from '../../dev/demo-finance';
import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import { generateDemoInvoices } from '../../dev/finance-server/demo-invoices';
import { FinanceSystem } from '../../src/finance';
import { FinanceUnavailableError } from '../../src/finance';
import { todayInNorway } from '../../src/shared/calendar-date';
import { Municipality } from '../../src/tenancy';
import { createTestDatabase } from '../support/test-database';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { loginAs } from '../support/resident-login';
import { startTestAppOn, type TestApp } from '../support/test-app';

/** What the demo's first resident of each municipality has in the demo ledger, by invoice number. */
const ledger = generateDemoInvoices({ today: todayInNorway() });
const residents = (['fjordvik', 'asdal'] as const).map((slug) =>
  DEMO_RESIDENTS.find((r) => r.municipality === slug)!,
);
const invoiceNumbersOf = (pid: string) =>
  ledger
    .find((entry) => entry.pid === pid)!
    .invoices.map((i) => i.invoiceNumber)
    .sort();

/** Lists the resident's invoices through the port, as the portal's pages do. */
async function listThroughPort(t: TestApp, slug: string, pid: string) {
  const m = await t.em().findOneOrFail(Municipality, { slug });
  return t.app
    .get(FinanceSystem)
    .listInvoices({ id: m.id, slug: m.slug, settings: { ...m.settings } }, pid);
}

const adapterOf = async (t: TestApp, slug: string) =>
  (await t.em().findOneOrFail(Municipality, { slug })).settings.financeAdapter;

/**
 * `DEMO_FINANCE=… npm start`'s finance wiring (dev/demo-finance.ts), as demo.ts runs it: the
 * stand-in started first with the secrets it gives the portal's environment, the demo
 * municipalities pointed at it once the portal runs; each demo resident's invoices then come from
 * the stand-in through the municipality's adapter, and a database a stand-in run left behind
 * starts again on the embedded ledger.
 */
describe('The demo on each finance system (DEMO_FINANCE)', () => {
  it('accepts embedded, http, handover, xledger and vismanet (unset is embedded) and refuses anything else in one line naming them', () => {
    expect(demoFinanceChoice(undefined)).toBe('embedded');
    expect(demoFinanceChoice('')).toBe('embedded');
    for (const value of ['embedded', 'http', 'handover', 'xledger', 'vismanet'])
      expect(demoFinanceChoice(value)).toBe(value);
    expect(demoFinanceLine('embedded')).toBe(
      'Finance system (DEMO_FINANCE=embedded): the embedded ledger, in the demo database\n',
    );
    expect(() => demoFinanceChoice('visma')).toThrow(
      'DEMO_FINANCE must be one of embedded, http, handover, xledger, vismanet (or unset for embedded), got "visma"',
    );
  });

  it.each([
    ['xledger', 'xledger'],
    ['vismanet', 'visma'],
  ] as const)(
    'DEMO_FINANCE=%s: the demo residents of both municipalities read their invoices from the stand-in through the %s adapter; a database it left behind starts again on the embedded ledger',
    async (choice, adapter) => {
      const db = await createTestDatabase();
      let standIn: DemoStandIn | undefined;
      let portal: PortalWithIdporten | undefined;
      let t: TestApp | undefined;
      try {
        standIn = (await startDemoStandIn(choice))!;
        expect(Object.keys(standIn.env).length).toBeGreaterThan(0);
        portal = await startPortalWithIdporten({ DEMO_SEED: 'true', ...standIn.env }, { db });
        t = portal.t;
        await standIn.configure(t.app);
        for (const resident of residents) {
          expect(await adapterOf(t, resident.municipality)).toBe(adapter);
          const invoices = await listThroughPort(t, resident.municipality, resident.pid);
          expect(invoices.map((i) => i.invoiceNumber).sort()).toEqual(
            invoiceNumbersOf(resident.pid),
          );
        }
        // Kari logs in on Fjordvik's host (127.0.0.1): Mine fakturaer links to each of them.
        const kari = residents[0];
        const page = await (await loginAs(t.url, kari.pid)).get('/fakturaer');
        expect(page.status).toBe(200);
        const html = await page.text();
        for (const invoice of await listThroughPort(t, kari.municipality, kari.pid))
          expect(html).toContain(`href="/fakturaer/${invoice.id}"`);
        // Nothing falls back to the embedded ledger: with the stand-in gone, the list fails.
        await standIn.close();
        standIn = undefined;
        await expect(
          listThroughPort(t, residents[1].municipality, residents[1].pid),
        ).rejects.toBeInstanceOf(FinanceUnavailableError);
        await t.app.close();
        await portal.idporten.close();
        portal = undefined;
        t = undefined;

        // The next `npm start` without DEMO_FINANCE, on the same database: the settings still
        // name the stand-in's secret, which the placeholders let past the start-up check.
        t = await startTestAppOn(db, { DEMO_SEED: 'true', ...standInSecretPlaceholders() });
        await useDemoEmbeddedLedger(t.app);
        for (const resident of residents) {
          const m = await t.em().findOneOrFail(Municipality, { slug: resident.municipality });
          expect(m.settings.financeAdapter).toBe('embedded');
          expect(m.settings).not.toHaveProperty(adapter);
          const invoices = await listThroughPort(t, resident.municipality, resident.pid);
          expect(invoices.map((i) => i.invoiceNumber).sort()).toEqual(
            invoiceNumbersOf(resident.pid),
          );
        }
      } finally {
        await standIn?.close();
        await t?.app.close();
        await portal?.idporten.close();
        await db.drop();
      }
    },
  );

  it('DEMO_FINANCE unset or embedded starts no stand-in, and the demo residents read the embedded ledger', async () => {
    expect(await startDemoStandIn('embedded')).toBeUndefined();
    const db = await createTestDatabase();
    const t = await startTestAppOn(db, { DEMO_SEED: 'true', ...standInSecretPlaceholders() });
    try {
      await useDemoEmbeddedLedger(t.app);
      for (const resident of residents) {
        expect(await adapterOf(t, resident.municipality)).toBe('embedded');
        const invoices = await listThroughPort(t, resident.municipality, resident.pid);
        expect(invoices.map((i) => i.invoiceNumber).sort()).toEqual(invoiceNumbersOf(resident.pid));
      }
    } finally {
      await t.close();
    }
  });
});
