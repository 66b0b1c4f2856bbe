import { ActivePolicyCache } from './active-policy-cache';
import type { ActivePolicy } from './active-policy';
import { compiledDefaultPolicy } from '../policy.test-factory';

const compiled = compiledDefaultPolicy();
const version = (versionId: string): ActivePolicy => ({ versionId, compiled });

/** A loader whose answers the test controls: each call waits until the test resolves it. */
function controlledLoader() {
  const calls: { municipalityId: string; resolve: (value: ActivePolicy) => void }[] = [];
  const load = (municipalityId: string) =>
    new Promise<ActivePolicy>((resolve) => calls.push({ municipalityId, resolve }));
  return { calls, load };
}

describe(ActivePolicyCache.name, () => {
  describe('get', () => {
    it('reads a municipality once and answers from memory after that', async () => {
      const load = jest.fn(async (id: string) => version(`v-${id}`));
      const cache = new ActivePolicyCache(load);
      expect((await cache.get('m1')).versionId).toBe('v-m1');
      expect((await cache.get('m1')).versionId).toBe('v-m1');
      expect((await cache.get('m2')).versionId).toBe('v-m2');
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('shares one read between callers asking at the same moment', async () => {
      const { calls, load } = controlledLoader();
      const cache = new ActivePolicyCache(load);
      const a = cache.get('m1');
      const b = cache.get('m1');
      expect(calls).toHaveLength(1);
      calls[0].resolve(version('v1'));
      expect((await a).versionId).toBe('v1');
      expect((await b).versionId).toBe('v1');
    });

    it('reads again every time while changes cannot be heard (listener down)', async () => {
      let n = 0;
      const cache = new ActivePolicyCache(async () => version(`v${++n}`));
      cache.setTrusted(false);
      expect((await cache.get('m1')).versionId).toBe('v1');
      expect((await cache.get('m1')).versionId).toBe('v2');
      cache.setTrusted(true);
      expect((await cache.get('m1')).versionId).toBe('v3');
      expect((await cache.get('m1')).versionId).toBe('v3');
    });

    it('does not let a read that started before a change put the old version back', async () => {
      const { calls, load } = controlledLoader();
      const cache = new ActivePolicyCache(load);
      const stale = cache.get('m1');
      cache.invalidate('m1');
      calls[0].resolve(version('old'));
      expect((await stale).versionId).toBe('old');
      const fresh = cache.get('m1');
      expect(calls).toHaveLength(2);
      calls[1].resolve(version('new'));
      expect((await fresh).versionId).toBe('new');
      expect((await cache.get('m1')).versionId).toBe('new');
    });

    it('forgets a failed read, so the next caller tries again', async () => {
      const load = jest
        .fn<Promise<ActivePolicy>, [string]>()
        .mockRejectedValueOnce(new Error('database away'))
        .mockResolvedValue(version('v1'));
      const cache = new ActivePolicyCache(load);
      await expect(cache.get('m1')).rejects.toThrow('database away');
      expect((await cache.get('m1')).versionId).toBe('v1');
    });
  });

  describe('invalidate', () => {
    it('makes the next get read that municipality again, and only that one', async () => {
      const load = jest.fn(async (id: string) => version(`v-${id}`));
      const cache = new ActivePolicyCache(load);
      await cache.get('m1');
      await cache.get('m2');
      cache.invalidate('m1');
      await cache.get('m1');
      await cache.get('m2');
      expect(load.mock.calls.map(([id]) => id)).toEqual(['m1', 'm2', 'm1']);
    });
  });

  describe('invalidateAll', () => {
    it('makes every municipality be read again (after a reconnect)', async () => {
      const load = jest.fn(async (id: string) => version(`v-${id}`));
      const cache = new ActivePolicyCache(load);
      await cache.get('m1');
      await cache.get('m2');
      cache.invalidateAll();
      await cache.get('m1');
      await cache.get('m2');
      expect(load).toHaveBeenCalledTimes(4);
    });
  });
});
