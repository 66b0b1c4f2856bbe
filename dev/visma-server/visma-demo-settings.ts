import { ACCOUNTS } from '../finance-server/demo-invoice-catalogue';
import { DEMO_VISMA_ITEMS } from './visma-demo-data';
import { VISMA_DEMO_CLIENT } from './visma-server';

/** The environment variable the demo settings name for the client secret. */
export const VISMA_DEMO_SECRET_ENV = 'VISMA_DEMO_CLIENT_SECRET';

/**
 * `settings.visma` for a demo municipality served by the stand-in at `server`: its tenant, the
 * demo client, the municipality's accounts, the demo item numbers and collection agency.
 */
export function vismaDemoSettings(
  server: { url: string; tokenUrl: string; tenants: Readonly<Record<string, string>> },
  slug: 'fjordvik' | 'asdal',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const accounts = ACCOUNTS[slug];
  return {
    baseUrl: server.url,
    tokenUrl: server.tokenUrl,
    tenantId: server.tenants[slug],
    clientId: VISMA_DEMO_CLIENT.clientId,
    clientSecretEnv: VISMA_DEMO_SECRET_ENV,
    customerIdField: 'corporateId',
    payee: { name: accounts.main.payee, accountNumber: accounts.main.accountNumber },
    payeeByCategory: {
      EIENDOMSSKATT: {
        name: accounts.propertyTax.payee,
        accountNumber: accounts.propertyTax.accountNumber,
      },
    },
    categoryByItem: Object.fromEntries(
      Object.entries(DEMO_VISMA_ITEMS).map(([category, item]) => [item, category]),
    ),
    collectionAgency: {
      name: 'Fjellinkasso AS',
      phone: null,
      url: 'https://fjellinkasso.example',
    },
    ...overrides,
  };
}
