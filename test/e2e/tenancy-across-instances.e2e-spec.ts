import { FinanceAdminService } from '../../src/finance-admin/finance-admin.service';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { TenancyService } from '../../src/tenancy/tenancy.service';
import { createMunicipality } from '../support/factories';
import { cutListeningConnections, startTwoInstances, type TestApp } from '../support/test-app';

const OPERATOR = { actor: 'staff:test-operator', name: 'Ola Drift' };

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Several instances need a shared server: SQLite is one process, where a save invalidates the one
// copy there is (the settings pages' own tests).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
(onPostgres ? describe : describe.skip)(
  "A municipality's settings saved on one instance, across two on PostgreSQL (e2e)",
  () => {
    let a: TestApp;
    let b: TestApp;
    let close: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ a, b, close } = await startTwoInstances({
        WRITEBACK_WORKER: 'off',
        FINANCE_API_KEY: 'test-key-for-both-instances',
      }));
    });
    afterAll(async () => {
      await close?.();
    });

    const adapterOn = async (t: TestApp, id: string) =>
      (await t.app.get(TenancyService).byId(id))?.settings.financeAdapter;

    it('is used by the other instance at once, not after its 30 s cache', async () => {
      const municipality = await createMunicipality(a.em());
      for (const t of [a, b]) {
        t.refreshTenants();
        expect(t.app.get(TenancyService).isListening()).toBe(true);
        // Both hold the list in memory now, with the municipality on the embedded ledger.
        expect(await adapterOn(t, municipality.id)).toBe('embedded');
      }
      const saved = await a.app
        .get(FinanceAdminService)
        .save(municipality.slug, [municipality.id], OPERATOR, {
          adapter: 'http',
          baseUrl: 'http://127.0.0.1:4010',
          vendor: '',
        });
      expect(saved).toEqual({ saved: true });
      expect(await adapterOn(a, municipality.id)).toBe('http');
      expect(
        await until(
          () => adapterOn(b, municipality.id),
          (v) => v === 'http',
          1000,
        ),
      ).toBe('http');
    });

    it('a refused save changes nothing on either instance', async () => {
      const municipality = await createMunicipality(a.em());
      for (const t of [a, b]) t.refreshTenants();
      const refused = await a.app
        .get(FinanceAdminService)
        .save(municipality.slug, [municipality.id], OPERATOR, {
          adapter: 'http',
          baseUrl: 'not a url',
          vendor: '',
        });
      expect(refused).toMatchObject({ saved: false });
      for (const t of [a, b]) expect(await adapterOn(t, municipality.id)).toBe('embedded');
    });

    it('reads the list again once it listens again: changes made meanwhile were not heard', async () => {
      const municipality = await createMunicipality(a.em());
      const tenancyB = b.app.get(TenancyService);
      const phoneOnB = async () => (await tenancyB.byId(municipality.id))?.contactPhone;
      b.refreshTenants();
      expect(await phoneOnB()).toBe('+47 12 34 56 78');
      // Changed in the table by hand: no notification, so B keeps its copy (for up to 30 s).
      await a
        .em()
        .nativeUpdate(Municipality, { id: municipality.id }, { contactPhone: '+47 99 99 99 99' });
      expect(await phoneOnB()).toBe('+47 12 34 56 78');
      // PostgreSQL ends both instances' LISTEN connections, as a failover or a restart would.
      const ended = await cutListeningConnections(a, 'municipalities_changed');
      expect(ended).toBe(2);
      // Listening again, B cannot know what it missed, and reads the list again: well within 30 s.
      expect(await until(phoneOnB, (phone) => phone === '+47 99 99 99 99', 10_000)).toBe(
        '+47 99 99 99 99',
      );
      expect(tenancyB.isListening()).toBe(true);
    });
  },
);
