import type { MikroORM } from '@mikro-orm/core';
import type { SessionData } from 'express-session';
import { MikroOrmSessionStore } from './mikro-orm-session.store';

function fakeOrm() {
  const updates: unknown[] = [];
  const em = {
    nativeUpdate: async (...args: unknown[]) => (updates.push(args), 1),
    upsert: async () => undefined,
    nativeDelete: async () => 1,
  };
  return { orm: { em: { fork: () => em } } as unknown as MikroORM, updates };
}

const data = { cookie: { originalMaxAge: 1_800_000 } } as unknown as SessionData;
const touch = (store: MikroOrmSessionStore, sid: string) =>
  new Promise<void>((resolve) => store.touch(sid, data, () => resolve()));

describe('MikroOrmSessionStore', () => {
  describe('touch', () => {
    it('writes the new idle expiry once and then skips writes for a minute when pages follow each other', async () => {
      const { orm, updates } = fakeOrm();
      const store = new MikroOrmSessionStore(orm, 1_800_000);
      await touch(store, 'a');
      await touch(store, 'a');
      await touch(store, 'a');
      expect(updates).toHaveLength(1);
    });

    it('writes again when the minute has passed', async () => {
      const { orm, updates } = fakeOrm();
      const store = new MikroOrmSessionStore(orm, 1_800_000);
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      await touch(store, 'a');
      now.mockReturnValue(1_000_000 + 61_000);
      await touch(store, 'a');
      now.mockRestore();
      expect(updates).toHaveLength(2);
    });

    it('keeps sessions apart when two residents browse at once', async () => {
      const { orm, updates } = fakeOrm();
      const store = new MikroOrmSessionStore(orm, 1_800_000);
      await touch(store, 'a');
      await touch(store, 'b');
      expect(updates).toHaveLength(2);
    });
  });
});
