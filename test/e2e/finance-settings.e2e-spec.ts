import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { freePort } from '../support/free-port';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { databaseWithMunicipality } from '../support/operator-database';
import { loginAs } from '../support/resident-login';
import { spawnPortal } from '../support/spawn-portal';

describe('Finance settings (e2e)', () => {
  describe('at start-up (the built portal, a real process)', () => {
    it.each([
      [
        'an adapter name it does not know',
        { financeAdapter: 'embeded' },
        {},
        /^minside-faktura could not start: municipality bergvik: settings\.financeAdapter must be "embedded", "http"(, "[a-z]+")* or "[a-z]+", got "embeded"$/,
      ],
      [
        'an http adapter without financeBaseUrl',
        { financeAdapter: 'http' },
        { FINANCE_API_KEY: 'a-finance-key-of-some-length' },
        /^minside-faktura could not start: municipality bergvik: settings\.financeBaseUrl must be an http\(s\) URL .*$/,
      ],
      [
        'an http adapter without an API key',
        { financeAdapter: 'http', financeBaseUrl: 'https://finance.example/api' },
        {},
        /^minside-faktura could not start: municipality bergvik: settings\.financeAdapter is "http" but no finance API key is set \(FINANCE_API_KEY or FINANCE_API_KEYS\)$/,
      ],
    ])(
      'refuses %s with one line naming the municipality and the setting',
      async (_name, settings, env, expected) => {
        const db = await databaseWithMunicipality(settings as Municipality['settings']);
        try {
          const { child, done } = spawnPortal({
            ...db.env,
            PORT: String(await freePort()),
            DEMO_SEED: 'false',
            ...env,
          });
          // A portal that starts all the same is stopped, so the test fails rather than hangs.
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          const run = await done.finally(() => clearTimeout(timer));
          expect(run.code).toBe(1);
          expect(run.stderr.trim().split('\n')).toHaveLength(1);
          expect(run.stderr.trim()).toMatch(expected);
          expect(run.stderr).not.toContain('a-finance-key');
        } finally {
          await db.drop();
        }
      },
    );
  });

  describe('for a municipality added while the portal runs', () => {
    let env: PortalWithIdporten;

    beforeAll(async () => {
      env = await startPortalWithIdporten();
    });
    afterAll(() => env.close());

    it('answers its residents that invoices are unavailable, never with an empty list', async () => {
      const municipality = await createMunicipality(env.t.em(), {
        hostnames: ['127.0.0.1'],
        settings: { financeAdapter: 'embeded' } as unknown as Municipality['settings'],
      });
      await seedLedgerFor(env.t.em(), municipality);
      env.t.refreshTenants();
      const kari = await loginAs(env.t.url, KARI);

      const page = await kari.get('/fakturaer');
      expect(page.status).toBe(503);
      const html = await page.text();
      expect(html).toContain('Fakturaene er ikke tilgjengelige akkurat nå');
      expect(html).not.toContain('id="open-heading"');
      const api = await kari.get('/fakturaer', { accept: 'application/json' });
      expect(api.status).toBe(503);
    });
  });
});
