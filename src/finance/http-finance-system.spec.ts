import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import { startFinanceServer } from '../../dev/finance-server/finance-server';
import { HttpFinanceSystem } from './http-finance-system';
import { describeFinanceSystemContract } from './testing/finance-system.contract';
import { httpTenant } from './testing/http-tenant';

const TODAY = '2026-03-10';
const API_KEY = 'contract-test-key';
const pidOf = (name: string) => DEMO_RESIDENTS.find((r) => r.name === name)!.pid;

describeFinanceSystemContract('HttpFinanceSystem against dev/finance-server', async () => {
  const server = await startFinanceServer({ apiKey: API_KEY, today: TODAY });
  const system = new HttpFinanceSystem({
    apiKeyFor: () => API_KEY,
    logger: { warn: jest.fn(), debug: jest.fn() },
  });
  return {
    system,
    tenant: httpTenant('fjordvik', server.url),
    otherTenant: httpTenant('asdal', server.url),
    residents: {
      payer: pidOf('Kari Nordmann'),
      inCollection: pidOf('Ola Bakken'),
      other: pidOf('Ingrid Solberg'),
    },
    today: TODAY,
    teardown: server.close,
  };
});
