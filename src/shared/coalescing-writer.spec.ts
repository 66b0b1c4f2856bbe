import { CoalescingWriter } from './coalescing-writer';

describe(CoalescingWriter.name, () => {
  /** A store whose writes end when the test lets them. */
  function slowStore() {
    const written: (number | undefined)[] = [];
    const pending: (() => void)[] = [];
    const write = (latest: number | undefined) =>
      new Promise<void>((resolve) => {
        written.push(latest);
        pending.push(resolve);
      });
    const finishOne = async () => {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { written, write, finishOne };
  }

  it('writes at once, then only the latest of what came in while a write was in flight', async () => {
    const store = slowStore();
    const writer = new CoalescingWriter<number>(store.write, () => undefined);
    writer.set(1);
    writer.set(2);
    writer.set(3);
    writer.beat();
    expect(store.written).toEqual([1]);
    await store.finishOne();
    expect(store.written).toEqual([1, 3]);
    await store.finishOne();
    await writer.drain();
    expect(store.written).toEqual([1, 3]);
  });

  it('writes a heartbeat with the value it has, and goes on after a failed write', async () => {
    const written: (string | undefined)[] = [];
    const errors: unknown[] = [];
    let fail = true;
    const writer = new CoalescingWriter<string>(
      async (latest) => {
        written.push(latest);
        if (fail) throw new Error('database away');
      },
      (error) => errors.push(error),
    );
    writer.beat();
    await writer.drain();
    writer.set('half');
    await writer.drain();
    fail = false;
    writer.beat();
    await writer.drain();
    expect(written).toEqual([undefined, 'half', 'half']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['database away', 'database away']);
  });
});
