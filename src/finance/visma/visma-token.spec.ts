import {
  VISMA_DEMO_CLIENT,
  VISMA_DEMO_TENANTS,
  startVismaServer,
  type RunningVismaServer,
} from '../../../dev/visma-server/visma-server';
import { VismaTokens } from './visma-token';

describe('VismaTokens', () => {
  let server: RunningVismaServer;
  let clock: number;
  const credentials = () => ({
    tokenUrl: server.tokenUrl,
    tenantId: VISMA_DEMO_TENANTS.fjordvik,
    clientId: VISMA_DEMO_CLIENT.clientId,
    clientSecret: VISMA_DEMO_CLIENT.clientSecret,
  });
  const issued = () => server.requests()['POST /connect/token'] ?? 0;

  beforeEach(async () => {
    server = await startVismaServer({ today: '2026-03-10' });
    clock = 1_000_000;
  });
  afterEach(() => server.close());

  describe('get', () => {
    it('asks once for concurrent callers and keeps the token until a minute before it expires', async () => {
      const tokens = new VismaTokens(1000, () => clock);
      const [a, b] = await Promise.all([tokens.get(credentials()), tokens.get(credentials())]);
      expect(a).toBe(b);
      expect(issued()).toBe(1);

      clock += 3_539_000;
      await expect(tokens.get(credentials())).resolves.toBe(a);
      clock += 2_000;
      await expect(tokens.get(credentials())).resolves.not.toBe(a);
      expect(issued()).toBe(2);
    });

    it('does not keep a failure: the next call asks again', async () => {
      const tokens = new VismaTokens(1000, () => clock);
      server.faults.set({ mode: 'token-down', times: 1 });
      await expect(tokens.get(credentials())).rejects.toMatchObject({ reason: 'server-error' });
      await expect(tokens.get(credentials())).resolves.toEqual(expect.any(String));
      expect(issued()).toBe(2);
    });
  });

  describe('invalidate', () => {
    it('forgets the refused token, but not a newer one another caller already has', async () => {
      const tokens = new VismaTokens(1000, () => clock);
      const first = await tokens.get(credentials());
      tokens.invalidate(credentials(), first);
      const second = await tokens.get(credentials());
      expect(second).not.toBe(first);
      tokens.invalidate(credentials(), first);
      await expect(tokens.get(credentials())).resolves.toBe(second);
      expect(issued()).toBe(2);
    });
  });
});
