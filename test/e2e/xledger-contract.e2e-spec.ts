import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import { demoXledgerSettings } from '../../dev/xledger-server/xledger-seed';
import { startXledgerServer } from '../../dev/xledger-server/xledger-server';
import { describeFinanceSystemContract } from '../../src/finance/testing/finance-system.contract';
import { xledgerTenant, xledgerTokenEnv } from '../../src/finance/testing/xledger-tenant';
import { XledgerFinanceSystem } from '../../src/finance/xledger/xledger.finance-system';

const TODAY = '2026-03-10';
const TOKENS = { fjordvik: 'fjordvik-xledger-token-0001', asdal: 'asdal-xledger-token-00002' };
const pidOf = (name: string) => DEMO_RESIDENTS.find((r) => r.name === name)!.pid;

/** The contract every adapter passes, against the Xledger GraphQL stand-in. */
describeFinanceSystemContract('XledgerFinanceSystem against dev/xledger-server', async () => {
  const server = await startXledgerServer({ tokens: TOKENS, today: TODAY });
  const system = new XledgerFinanceSystem({
    logger: { warn: jest.fn(), debug: jest.fn() },
    env: (name) =>
      ({
        [xledgerTokenEnv('fjordvik')]: TOKENS.fjordvik,
        [xledgerTokenEnv('asdal')]: TOKENS.asdal,
      })[name],
    today: () => TODAY,
  });
  return {
    system,
    tenant: xledgerTenant('fjordvik', server.url, demoXledgerSettings('fjordvik')),
    otherTenant: xledgerTenant('asdal', server.url, demoXledgerSettings('asdal')),
    residents: {
      payer: pidOf('Kari Nordmann'),
      inCollection: pidOf('Ola Bakken'),
      other: pidOf('Ingrid Solberg'),
    },
    today: TODAY,
    teardown: server.close,
  };
});
