import { OutboxSchedule, type OutboxScheduleOptions } from './outbox-schedule';

describe(OutboxSchedule.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function schedule(options: Partial<OutboxScheduleOptions> = {}) {
    const runs: number[] = [];
    const runBatch = jest.fn(async () => {
      runs.push(Date.now());
      return 0;
    });
    const outbox = new OutboxSchedule({
      runBatch,
      pollMs: 60_000,
      shutdownWaitMs: 1_000,
      onPollError: () => undefined,
      onShutdownTimeout: () => undefined,
      ...options,
    });
    return { outbox, runBatch, runs };
  }

  it('runs a batch soon after a wake, however many wakes follow it', async () => {
    const { outbox, runs } = schedule();
    outbox.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    const woken = Date.now();
    // A commit every 10 ms (100 decisions a second, each queuing a letter): the first wake's
    // batch must not be pushed back by the ones after it.
    for (let i = 0; i < 50; i++) {
      outbox.wake();
      await jest.advanceTimersByTimeAsync(10);
    }
    expect(runs.length).toBeGreaterThan(5);
    expect(runs[1] - woken).toBeLessThanOrEqual(100);
    await outbox.stop();
  });

  it('runs batches back to back while they come back full, then waits for the poll', async () => {
    const sizes = [10, 10, 3, 0];
    const runBatch = jest.fn(async () => sizes.shift() ?? 0);
    const { outbox } = schedule({ fullBatch: 10, runBatch });
    outbox.start();
    await jest.advanceTimersByTimeAsync(0);
    // Two full batches, then a part one: the queue is empty for now.
    expect(runBatch).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runBatch).toHaveBeenCalledTimes(4);
    await outbox.stop();
  });

  it('waits at stop for the batch in flight and what it leaves to settle, within the bound', async () => {
    let finish!: () => void;
    const settled = jest.fn(async () => undefined);
    const { outbox } = schedule({
      runBatch: () => new Promise<number>((resolve) => (finish = () => resolve(0))),
      settle: settled,
    });
    outbox.start();
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stop = outbox.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);
    finish();
    await stop;
    expect(settled).toHaveBeenCalled();
  });
});
