import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { type EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { type SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';
import { Client } from 'pg';
import { openTestOrm } from '../../test/support/test-database';
import { afterCommit } from './after-commit';
import { commitTogether } from './commit-lane';
import { unavailableKind } from './database-unavailable';
import { insertRows, runPlain, writePlain } from './plain-statements';

/** What only PostgreSQL does: round trips, pipelining, lost connections. */
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

@Entity({ tableName: 'lane_items' })
class LaneItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'string', length: 20 })
  reference!: string;

  @Property({ type: 'integer' })
  n!: number;
}

@Entity({ tableName: 'lane_heads' })
class LaneHead {
  @PrimaryKey({ type: 'string', length: 20 })
  name!: string;

  @Property({ type: 'integer' })
  seq!: number;
}

/** On SQLite (MikroORM's transaction) and on PostgreSQL (the commit lane) alike. */
describe('commitTogether (the commit lane)', () => {
  let orm: MikroORM;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ orm, close } = await openTestOrm([LaneItem, LaneHead], 2));
    await orm.em.fork().insert(LaneHead, { name: 'chain', seq: 0 });
  });
  afterAll(() => close());

  const item = (reference: string, n = 1): LaneItem =>
    Object.assign(new LaneItem(), { reference, n });
  const references = async (prefix: string) =>
    (await orm.em.fork().find(LaneItem, { reference: { $like: `${prefix}%` } }))
      .map((i) => i.reference)
      .sort();
  const seq = async () => (await orm.em.fork().findOneOrFail(LaneHead, { name: 'chain' })).seq;

  /** The shape of a decision batch: lock the head, hold the writes (rows and the head's move). */
  const batch = (em: EntityManager, items: LaneItem[]) => async () => {
    const lock = em.getPlatform() instanceof SqlitePlatform ? '' : ' for update';
    const [head] = await runPlain<{ seq: unknown }>(
      em,
      `select seq from lane_heads where name = ?${lock}`,
      ['chain'],
    );
    const next = Number(head.seq) + items.length;
    await writePlain(em, 'update lane_heads set seq = ? where name = ?', [next, 'chain']);
    await insertRows(em, LaneItem, items);
    return next;
  };

  it('stores what the work holds back, and returns what the work returned', async () => {
    const before = await seq();
    const result = await commitTogether(orm, (em) => batch(em, [item('ok-1'), item('ok-2', 2)])());
    expect(result).toBe(before + 2);
    expect(await seq()).toBe(before + 2);
    expect(await references('ok-')).toEqual(['ok-1', 'ok-2']);
  });

  it('stores nothing when a held write breaks a unique key, says so as MikroORM would, and the next commit works', async () => {
    await commitTogether(orm, (em) => batch(em, [item('dup-1')])());
    const before = await seq();
    await expect(
      commitTogether(orm, (em) => batch(em, [item('dup-2'), item('dup-1')])()),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    // The head's move was held with the rows: it went with them, and so did not happen either.
    expect(await seq()).toBe(before);
    expect(await references('dup-')).toEqual(['dup-1']);
    await commitTogether(orm, (em) => batch(em, [item('dup-3')])());
    expect(await references('dup-')).toEqual(['dup-1', 'dup-3']);
  });

  it('rolls back what was sent already when the work throws', async () => {
    const before = await seq();
    await expect(
      commitTogether(orm, async (em) => {
        await batch(em, [item('thrown-1')])();
        // A read sends the held writes first: they are in the transaction when the work fails.
        await runPlain(em, 'select count(*) as n from lane_items', []);
        throw new Error('the work failed after its writes were sent');
      }),
    ).rejects.toThrow('the work failed after its writes were sent');
    expect(await seq()).toBe(before);
    expect(await references('thrown-')).toEqual([]);
  });

  it('runs afterCommit callbacks once it has committed, and never for one that failed', async () => {
    const calls: string[] = [];
    await commitTogether(orm, async (em) => {
      afterCommit(em, () => calls.push('committed'));
      const next = await batch(em, [item('after-1')])();
      // Not yet: the commit has not been sent.
      expect(calls).toEqual([]);
      return next;
    });
    expect(calls).toEqual(['committed']);
    await expect(
      commitTogether(orm, async (em) => {
        afterCommit(em, () => calls.push('rolled back'));
        return batch(em, [item('after-1')])();
      }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(calls).toEqual(['committed']);
  });

  it('takes the query builder in the same transaction, as MikroORM’s own would', async () => {
    await expect(
      commitTogether(orm, async (em) => {
        await (em as SqlEntityManager).createQueryBuilder(LaneItem).insert(item('qb-1')).execute();
        throw new Error('undo it');
      }),
    ).rejects.toThrow('undo it');
    expect(await references('qb-')).toEqual([]);
    await commitTogether(orm, async (em) => {
      await (em as SqlEntityManager).createQueryBuilder(LaneItem).insert(item('qb-2')).execute();
    });
    expect(await references('qb-')).toEqual(['qb-2']);
  });

  it('commits many batches made at once, more than it has connections, one after another on the lock', async () => {
    const before = await seq();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        commitTogether(orm, (em) => batch(em, [item(`many-${String(i).padStart(2, '0')}`)])()),
      ),
    );
    expect([...results].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => before + i + 1),
    );
    expect(await seq()).toBe(before + 12);
    expect(await references('many-')).toHaveLength(12);
  });

  onPostgres(
    'sends a batch in two writes: begin with the lock, the held writes with the commit',
    async () => {
      // The lane's connection is open and its statements prepared before counting.
      await commitTogether(orm, (em) => batch(em, [item('rt-0')])());
      const writes = [
        jest.spyOn(Socket.prototype as unknown as { _write(): void }, '_write'),
        jest.spyOn(Socket.prototype as unknown as { _writev(): void }, '_writev'),
      ];
      try {
        await commitTogether(orm, (em) => batch(em, [item('rt-1'), item('rt-2')])());
        expect(writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(2);
      } finally {
        for (const spy of writes) spy.mockRestore();
      }
      expect(await references('rt-')).toEqual(['rt-0', 'rt-1', 'rt-2']);
    },
  );

  onPostgres(
    'holds the lock until the commit: a second batch waits for the first and sees its head',
    async () => {
      const before = await seq();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = commitTogether(orm, async (em) => {
        const next = await batch(em, [item('lock-1')])();
        await held;
        return next;
      });
      // Give the first batch time to take the lock before the second asks for it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = commitTogether(orm, (em) => batch(em, [item('lock-2')])());
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      expect(await first).toBe(before + 1);
      expect(await second).toBe(before + 2);
      expect(await seq()).toBe(before + 2);
    },
  );

  onPostgres(
    'fails as the database being unavailable when its connection is lost, stores nothing, and the next commit gets a new connection',
    async () => {
      const before = await seq();
      const killer = new Client({ connectionString: orm.config.get('clientUrl') });
      await killer.connect();
      try {
        const error = await commitTogether(orm, async (em) => {
          const [{ pid }] = await runPlain<{ pid: number }>(
            em,
            'select pg_backend_pid() as pid',
            [],
          );
          await killer.query('select pg_terminate_backend($1)', [pid]);
          return batch(em, [item('lost-1')])();
        }).then(
          () => undefined,
          (failed: unknown) => failed,
        );
        expect(unavailableKind(error)).toBe('connection');
      } finally {
        await killer.end();
      }
      expect(await seq()).toBe(before);
      await commitTogether(orm, (em) => batch(em, [item('lost-2')])());
      expect(await references('lost-')).toEqual(['lost-2']);
    },
  );
});
