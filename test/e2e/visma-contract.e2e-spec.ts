import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import { VISMA_DEMO_CLIENT, startVismaServer } from '../../dev/visma-server/visma-server';
import {
  VISMA_DEMO_SECRET_ENV,
  vismaDemoSettings,
} from '../../dev/visma-server/visma-demo-settings';
import { describeFinanceSystemContract } from '../../src/finance/testing/finance-system.contract';
import { VismaFinanceSystem } from '../../src/finance/visma/visma.finance-system';

const TODAY = '2026-03-10';
const pidOf = (name: string) => DEMO_RESIDENTS.find((r) => r.name === name)!.pid;
const env = (name: string) =>
  name === VISMA_DEMO_SECRET_ENV ? VISMA_DEMO_CLIENT.clientSecret : undefined;

/** The contract every adapter passes, against the Visma.net ERP stand-in (dev/visma-server). */
describeFinanceSystemContract('VismaFinanceSystem against dev/visma-server', async () => {
  const server = await startVismaServer({ today: TODAY });
  const system = new VismaFinanceSystem({
    logger: { warn: jest.fn(), debug: jest.fn() },
    env,
    today: () => TODAY,
  });
  const tenant = (slug: 'fjordvik' | 'asdal') => ({
    id: `id-${slug}`,
    slug,
    settings: { financeAdapter: 'visma', visma: vismaDemoSettings(server, slug) },
  });
  return {
    system,
    tenant: tenant('fjordvik'),
    otherTenant: tenant('asdal'),
    residents: {
      payer: pidOf('Kari Nordmann'),
      inCollection: pidOf('Ola Bakken'),
      other: pidOf('Ingrid Solberg'),
    },
    today: TODAY,
    teardown: server.close,
  };
});
