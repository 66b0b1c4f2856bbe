import { CommitQueueFullError, isDatabaseUnavailable } from './database-unavailable';
import { GroupCommit, type ItemResult } from './group-commit';

function deferred() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { gate, release };
}

describe(GroupCommit.name, () => {
  describe('submit', () => {
    it('commits a lone item at once, in a batch of its own', async () => {
      const batches: number[][] = [];
      const group = new GroupCommit<number, number>(
        async (items) => {
          batches.push(items);
          return items.map((n) => ({ ok: true, value: n * 2 }));
        },
        { maxBatch: 10, concurrency: 1 },
      );
      await expect(group.submit(21)).resolves.toBe(42);
      expect(batches).toEqual([[21]]);
    });

    it('gathers items that arrive while a batch commits into the next batch, in order', async () => {
      const batches: number[][] = [];
      const first = deferred();
      const group = new GroupCommit<number, number>(
        async (items) => {
          batches.push(items);
          if (batches.length === 1) await first.gate;
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 3, concurrency: 1 },
      );
      const all = [1, 2, 3, 4, 5, 6].map((n) => group.submit(n));
      first.release();
      await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5, 6]);
      expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    });

    it('refuses only the items the commit refuses', async () => {
      const group = new GroupCommit<number, number>(
        async (items) =>
          items.map((n): ItemResult<number> =>
            n % 2 ? { ok: true, value: n } : { ok: false, error: new Error(`even ${n}`) },
          ),
        { maxBatch: 10, concurrency: 1 },
      );
      const results = await Promise.allSettled([1, 2, 3].map((n) => group.submit(n)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('even 2'));
    });

    it('rejects every item of a batch whose commit throws, and goes on with the next', async () => {
      let calls = 0;
      const gate = deferred();
      const group = new GroupCommit<number, number>(
        async (items) => {
          calls++;
          if (calls === 1) {
            await gate.gate;
            throw new Error('connection lost');
          }
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 10, concurrency: 1 },
      );
      const failed = group.submit(1);
      const next = group.submit(2);
      gate.release();
      await expect(failed).rejects.toThrow('connection lost');
      await expect(next).resolves.toBe(2);
    });

    it('keeps at most `concurrency` batches in flight', async () => {
      let inFlight = 0;
      let most = 0;
      const group = new GroupCommit<number, number>(
        async (items) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 2, concurrency: 2 },
      );
      await Promise.all(Array.from({ length: 20 }, (_, n) => group.submit(n)));
      expect(most).toBe(2);
    });

    it('rejects a commit that answers for the wrong number of items', async () => {
      const group = new GroupCommit<number, number>(async () => [], {
        maxBatch: 10,
        concurrency: 1,
      });
      await expect(group.submit(1)).rejects.toThrow('answered 0 of 1 items');
    });
  });

  describe('submit when the queue is full', () => {
    it('refuses an item at once when `maxWaiting` items already wait, and takes items again once they drain', async () => {
      const gate = deferred();
      const group = new GroupCommit<number, number>(
        async (items) => {
          await gate.gate;
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 2, concurrency: 1, maxWaiting: 3 },
      );
      const inFlight = group.submit(0);
      const waiting = [1, 2, 3].map((n) => group.submit(n));
      const refused = group.submit(4);
      const error: unknown = await refused.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommitQueueFullError);
      expect(isDatabaseUnavailable(error)).toBe(true);
      gate.release();
      await expect(Promise.all([inFlight, ...waiting])).resolves.toEqual([0, 1, 2, 3]);
      await expect(group.submit(5)).resolves.toBe(5);
    });
  });

  describe('progress', () => {
    it('names since when the oldest unanswered item waits, and nothing once all are answered', async () => {
      let now = 1_000;
      const gate = deferred();
      const group = new GroupCommit<number, number>(
        async (items) => {
          await gate.gate;
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 1, concurrency: 1, clock: () => now },
      );
      expect(group.progress().pendingSince).toBeUndefined();
      const first = group.submit(1);
      now = 2_000;
      const second = group.submit(2);
      expect(group.progress().pendingSince).toBe(1_000);
      gate.release();
      await Promise.all([first, second]);
      expect(group.progress().pendingSince).toBeUndefined();
    });

    it('remembers the error of the last batch that failed until a batch commits again', async () => {
      let now = 1_000;
      let fail = true;
      const group = new GroupCommit<number, number>(
        async (items) => {
          if (fail) throw new Error('lock timeout');
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 10, concurrency: 1, clock: () => now },
      );
      await expect(group.submit(1)).rejects.toThrow('lock timeout');
      expect(group.progress().lastFailure).toEqual({ at: 1_000, error: new Error('lock timeout') });
      fail = false;
      now = 5_000;
      await group.submit(2);
      expect(group.progress().lastFailure).toBeUndefined();
    });
  });

  describe('drained', () => {
    it('resolves once every submitted item is settled', async () => {
      const gate = deferred();
      const settled: number[] = [];
      const group = new GroupCommit<number, number>(
        async (items) => {
          await gate.gate;
          return items.map((n) => ({ ok: true, value: n }));
        },
        { maxBatch: 10, concurrency: 1 },
      );
      for (const n of [1, 2]) void group.submit(n).then((v) => settled.push(v));
      const drained = group.drained().then(() => [...settled]);
      gate.release();
      await expect(drained).resolves.toEqual([1, 2]);
    });
  });
});
