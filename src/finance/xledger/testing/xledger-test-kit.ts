import { demoXledgerSettings } from '../../../../dev/xledger-server/xledger-seed';
import {
  startXledgerServer,
  type RunningXledgerServer,
} from '../../../../dev/xledger-server/xledger-server';
import { xledgerTenant, xledgerTokenEnv } from '../../testing/xledger-tenant';
import { XledgerFinanceSystem, type XledgerFinanceSystemOptions } from '../xledger.finance-system';

export const TODAY = '2026-03-10';
export const TOKENS = {
  fjordvik: 'fjordvik-xledger-token-0001',
  asdal: 'asdal-xledger-token-00002',
};
export const KARI = '12838512311';
export const OLA = '03879245612';

/** The stand-in, an adapter on it with fast backoff, and what the adapter logged and slept. */
export async function xledgerKit(options: Partial<XledgerFinanceSystemOptions> = {}) {
  const server: RunningXledgerServer = await startXledgerServer({ tokens: TOKENS, today: TODAY });
  const logged: string[] = [];
  const sleeps: number[] = [];
  const env: Record<string, string> = {
    [xledgerTokenEnv('fjordvik')]: TOKENS.fjordvik,
    [xledgerTokenEnv('asdal')]: TOKENS.asdal,
  };
  const system = new XledgerFinanceSystem({
    logger: { warn: (m) => void logged.push(m), debug: (m) => void logged.push(m) },
    env: (name) => env[name],
    today: () => TODAY,
    initialBackoffMs: 1,
    maxBackoffMs: 2,
    sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
    // Tests change the books between calls; the cache has tests of its own.
    customerCacheMs: 0,
    ...options,
  });
  return {
    server,
    system,
    env,
    logged,
    sleeps,
    tenant: (extra: Record<string, unknown> = {}) =>
      xledgerTenant('fjordvik', server.url, { ...demoXledgerSettings('fjordvik'), ...extra }),
    /** The fjordvik entity's books, to read or change behind the adapter's back. */
    books: () => server.store().entity('fjordvik'),
    close: server.close,
  };
}
export type XledgerKit = Awaited<ReturnType<typeof xledgerKit>>;
