import { MikroORM } from '@mikro-orm/core';
import type { SessionData } from 'express-session';
import { openTestOrm } from '../../../test/support/test-database';
import { MikroOrmSessionStore, PRE_LOGIN_MS, TOUCH_FLUSH_MS } from './mikro-orm-session.store';
import { SessionCipher } from './session-cipher';
import { Session } from './session.entity';

const cipher = new SessionCipher('s'.repeat(40));

function fakeOrm() {
  const em = {
    upsert: async () => undefined,
    nativeDelete: async () => 1,
  };
  const orm = { em: { fork: () => em } };
  return orm as unknown as MikroORM;
}

/** The expiry moves the store writes (each call one statement), instead of a database. */
function recordWrites() {
  const writes: Map<string, number>[] = [];
  jest
    .spyOn(
      MikroOrmSessionStore.prototype as unknown as { writeExpiries: () => Promise<void> },
      'writeExpiries',
    )
    .mockImplementation(async function (this: unknown, ...args: unknown[]) {
      writes.push(new Map(args[0] as Map<string, number>));
    });
  return writes;
}

const data = {
  cookie: { originalMaxAge: 1_800_000 },
  authenticatedAt: Date.parse('2026-12-02T11:00:00Z'),
} as unknown as SessionData;
const touch = (store: MikroOrmSessionStore, sid: string) =>
  new Promise<void>((resolve) => store.touch(sid, data, () => resolve()));
/** A session as a request finds it: written (or read) by this instance first. */
const known = (store: MikroOrmSessionStore, sid: string) =>
  new Promise<void>((resolve) => store.set(sid, data, () => resolve()));
const moved = (writes: Map<string, number>[]) => writes.flatMap((w) => [...w.keys()]);

describe('MikroOrmSessionStore', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('touch', () => {
    it('writes the new idle expiry once and then skips writes for a minute when pages follow each other', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 1_800_000, cipher);
      await touch(store, 'a');
      await touch(store, 'a');
      await touch(store, 'a');
      await store.flush();
      expect(moved(writes)).toEqual(['a']);
    });

    it('writes again when the minute has passed', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 1_800_000, cipher);
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      await touch(store, 'a');
      now.mockReturnValue(1_000_000 + 61_000);
      await touch(store, 'a');
      await store.flush();
      expect(moved(writes)).toEqual(['a', 'a']);
    });

    it('V7.3.1: with a one-minute idle time, writes the expiry every few seconds of activity, so an active resident stays in', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 60_000, cipher);
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      for (let second = 0; second <= 90; second += 10) {
        now.mockReturnValue(1_000_000 + second * 1000);
        await touch(store, 'a');
      }
      await store.flush();
      // Every touch 10 s after the last write moves the expiry (none is skipped for a minute);
      // moves of one session gathered before a write are written as the latest.
      const latest = writes.map((w) => w.get('a'));
      expect(latest.at(-1)).toBe(1_000_000 + 90_000 + 60_000);
      expect(new Set(latest).size).toBe(latest.length);
    });

    it('keeps sessions apart when two residents browse at once', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 1_800_000, cipher);
      await touch(store, 'a');
      await touch(store, 'b');
      await store.flush();
      expect(moved(writes).sort()).toEqual(['a', 'b']);
    });

    it('answers the page at once and writes the moves of many sessions together, in one statement', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 1_800_000, cipher);
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      for (const sid of ['a', 'b', 'c']) await known(store, sid);
      now.mockReturnValue(1_000_000 + 61_000);
      for (const sid of ['a', 'b', 'c']) await touch(store, sid);
      expect(writes).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, TOUCH_FLUSH_MS + 50));
      expect(writes).toEqual([
        new Map(['a', 'b', 'c'].map((sid) => [sid, 1_000_000 + 61_000 + 1_800_000])),
      ]);
    });

    it('writes a session near its stored expiry before its page is sent, not behind it', async () => {
      const writes = recordWrites();
      const store = new MikroOrmSessionStore(fakeOrm(), 1_800_000, cipher);
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      await known(store, 'a');
      now.mockReturnValue(1_000_000 + 1_800_000 - 5_000);
      await touch(store, 'a');
      expect(moved(writes)).toEqual(['a']);
    });
  });

  /** On SQLite, or on PostgreSQL when TEST_DATABASE_URL names a server. */
  describe('on a real database', () => {
    const IDLE = 1_800_000;
    const T0 = Date.parse('2026-12-02T12:00:00Z');
    let orm: MikroORM;
    /** A store method with a callback, as a promise: an error rejects, a value resolves. */
    const call = <T>(fn: (cb: (err?: unknown, value?: T) => void) => void) =>
      new Promise<T | undefined>((resolve, reject) =>
        fn((err, value) => {
          if (err) reject(err instanceof Error ? err : new Error('store failed', { cause: err }));
          else resolve(value);
        }),
      );
    const storedExpiry = async (sid: string) =>
      (await orm.em.fork().findOneOrFail(Session, { id: sid })).expiresAt.getTime();

    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ orm, close } = await openTestOrm([Session]));
    });
    afterAll(() => close());
    afterEach(() => jest.restoreAllMocks());

    it('after a restart, moves the stored expiry of a session only once it would move by a minute', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
      await call((cb) => new MikroOrmSessionStore(orm, IDLE, cipher).set('r1', data, cb));
      expect(await storedExpiry('r1')).toBe(T0 + IDLE);

      // A new instance (a restart, or another instance behind the load balancer).
      const restarted = new MikroOrmSessionStore(orm, IDLE, cipher);
      now.mockReturnValue(T0 + 30_000);
      expect(await call((cb) => restarted.get('r1', cb))).toMatchObject({ cookie: {} });
      await call((cb) => restarted.touch('r1', data, cb));
      await restarted.flush();
      expect(await storedExpiry('r1')).toBe(T0 + IDLE);

      now.mockReturnValue(T0 + 61_000);
      await call((cb) => restarted.get('r1', cb));
      await call((cb) => restarted.touch('r1', data, cb));
      await restarted.flush();
      expect(await storedExpiry('r1')).toBe(T0 + 61_000 + IDLE);
    });

    it('writes gathered expiry moves to the table on flush, and never moves an expiry back', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
      const store = new MikroOrmSessionStore(orm, IDLE, cipher);
      await call((cb) => store.set('g1', data, cb));
      await call((cb) => store.set('g2', data, cb));
      now.mockReturnValue(T0 + 120_000);
      await call((cb) => store.get('g1', cb));
      await call((cb) => store.get('g2', cb));
      await call((cb) => store.touch('g1', data, cb));
      await call((cb) => store.touch('g2', data, cb));
      // Meanwhile g2 was saved again by another instance, further ahead.
      await call((cb) => new MikroOrmSessionStore(orm, IDLE * 2, cipher).set('g2', data, cb));
      expect(await storedExpiry('g1')).toBe(T0 + IDLE);
      await store.flush();
      expect(await storedExpiry('g1')).toBe(T0 + 120_000 + IDLE);
      expect(await storedExpiry('g2')).toBe(T0 + 120_000 + IDLE * 2);
    });

    it('V2.4.1: keeps a session without a login (login started, never finished) for minutes, not the idle time', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(T0);
      const store = new MikroOrmSessionStore(orm, IDLE, cipher);
      const preLogin = {
        cookie: { originalMaxAge: IDLE },
        oidc: { state: 'x' },
      } as unknown as SessionData;
      await call((cb) => store.set('anon', preLogin, cb));
      expect(await storedExpiry('anon')).toBe(T0 + PRE_LOGIN_MS);
    });

    it('V14.2.4: stores no identity number or ID token in clear, and reads back what it stored', async () => {
      const store = new MikroOrmSessionStore(orm, IDLE, cipher);
      const withUser = {
        ...data,
        user: { pid: '12838512311', idToken: 'header.payload.signature' },
      } as unknown as SessionData;
      await call((cb) => store.set('r3', withUser, cb));
      const [row] = await orm.em
        .fork()
        .getConnection()
        .execute<{ data: unknown }[]>("select data from sessions where id = 'r3'");
      const stored = typeof row.data === 'string' ? row.data : JSON.stringify(row.data);
      expect(stored).not.toContain('12838512311');
      expect(stored).not.toContain('header.payload.signature');
      expect(await call((cb) => store.get('r3', cb))).toEqual(withUser);
    });

    it('treats a row sealed under another secret as no session', async () => {
      const store = new MikroOrmSessionStore(orm, IDLE, cipher);
      await call((cb) => store.set('r4', data, cb));
      const rotated = new MikroOrmSessionStore(orm, IDLE, new SessionCipher('t'.repeat(40)));
      expect(await call((cb) => rotated.get('r4', cb))).toBeNull();
    });

    it('ends a session whose stored expiry has passed, however recently this instance saw it', async () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
      const store = new MikroOrmSessionStore(orm, IDLE, cipher);
      await call((cb) => store.set('r2', data, cb));
      now.mockReturnValue(T0 + IDLE + 1);
      expect(await call((cb) => store.get('r2', cb))).toBeNull();
      expect(await orm.em.fork().count(Session, { id: 'r2' })).toBe(0);
    });
  });
});
