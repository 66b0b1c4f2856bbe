import type { RetentionConfig } from './retention.config';
import { RetentionScheduler } from './retention.scheduler';
import type { RetentionService } from './retention.service';

const config = { intervalMs: 86_400_000, firstRunMs: 600_000 } as RetentionConfig;

function fakeRetention() {
  const runs: Array<() => void> = [];
  const retention = {
    run: jest.fn(() => new Promise<void>((resolve) => runs.push(resolve))),
  };
  return { retention: retention as unknown as RetentionService, calls: retention.run, runs };
}

describe(RetentionScheduler.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once ten minutes after start and then daily, on timers that do not keep the process alive', async () => {
    const { retention, calls, runs } = fakeRetention();
    const scheduler = new RetentionScheduler(retention, config);
    const setTimeout = jest.spyOn(global, 'setTimeout');
    const setInterval = jest.spyOn(global, 'setInterval');
    scheduler.onApplicationBootstrap();
    expect((setTimeout.mock.results.at(-1)!.value as NodeJS.Timeout).hasRef()).toBe(false);
    expect((setInterval.mock.results.at(-1)!.value as NodeJS.Timeout).hasRef()).toBe(false);
    jest.advanceTimersByTime(599_999);
    expect(calls).toHaveBeenCalledTimes(0);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveBeenCalledTimes(1);
    runs[0]();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(86_400_000 - 600_000);
    expect(calls).toHaveBeenCalledTimes(2);
    runs[1]();
    await scheduler.onModuleDestroy();
  });

  it('starts no second run while one is still running', async () => {
    const { retention, calls, runs } = fakeRetention();
    const scheduler = new RetentionScheduler(retention, config);
    scheduler.onApplicationBootstrap();
    jest.advanceTimersByTime(3 * 86_400_000);
    expect(calls).toHaveBeenCalledTimes(1);
    runs[0]();
    await scheduler.round();
    await scheduler.onModuleDestroy();
  });

  it('stops at shutdown, after waiting for the run in flight', async () => {
    const { retention, calls, runs } = fakeRetention();
    const scheduler = new RetentionScheduler(retention, config);
    scheduler.onApplicationBootstrap();
    jest.advanceTimersByTime(600_000);
    let stopped = false;
    const stopping = scheduler.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    runs[0]();
    await stopping;
    jest.advanceTimersByTime(10 * 86_400_000);
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('logs a failed run by its error name and runs again the next day', async () => {
    const retention = { run: jest.fn().mockRejectedValueOnce(new RangeError('x')) };
    retention.run.mockResolvedValue(undefined);
    const scheduler = new RetentionScheduler(retention as unknown as RetentionService, config);
    const logged = jest
      .spyOn((scheduler as unknown as { logger: { error: () => void } }).logger, 'error')
      .mockImplementation(() => undefined);
    await scheduler.round();
    expect(logged).toHaveBeenCalledWith('Retention job failed: RangeError');
    await scheduler.round();
    expect(retention.run).toHaveBeenCalledTimes(2);
  });
});
