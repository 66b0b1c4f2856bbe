import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';
import type { AuditCheckpointConfig } from './audit-checkpoint.config';
import type { AuditCheckpoints } from './audit-checkpoints';

const config = { intervalMs: 60_000 } as AuditCheckpointConfig;

function fakeCheckpoints() {
  const rounds: Array<() => void> = [];
  const checkpoints = {
    checkpointMovedHeads: jest.fn(
      () => new Promise<never[]>((resolve) => rounds.push(() => resolve([]))),
    ),
  };
  return {
    checkpoints: checkpoints as unknown as AuditCheckpoints,
    calls: checkpoints.checkpointMovedHeads,
    rounds,
  };
}

describe(AuditCheckpointScheduler.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a round every interval on a timer that does not keep the process alive', async () => {
    const { checkpoints, calls, rounds } = fakeCheckpoints();
    const scheduler = new AuditCheckpointScheduler(checkpoints, config);
    const setInterval = jest.spyOn(global, 'setInterval');
    scheduler.onApplicationBootstrap();
    expect((setInterval.mock.results[0].value as NodeJS.Timeout).hasRef()).toBe(false);
    jest.advanceTimersByTime(59_999);
    expect(calls).toHaveBeenCalledTimes(0);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveBeenCalledTimes(1);
    rounds[0]();
    await Promise.resolve();
    await scheduler.onModuleDestroy();
  });

  it('starts no second round while one is still running', async () => {
    const { checkpoints, calls, rounds } = fakeCheckpoints();
    const scheduler = new AuditCheckpointScheduler(checkpoints, config);
    scheduler.onApplicationBootstrap();
    jest.advanceTimersByTime(180_000);
    expect(calls).toHaveBeenCalledTimes(1);
    rounds[0]();
    await scheduler.round();
    await scheduler.onModuleDestroy();
  });

  it('stops at shutdown, after waiting for the round in flight', async () => {
    const { checkpoints, calls, rounds } = fakeCheckpoints();
    const scheduler = new AuditCheckpointScheduler(checkpoints, config);
    scheduler.onApplicationBootstrap();
    jest.advanceTimersByTime(60_000);
    let stopped = false;
    const stopping = scheduler.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    rounds[0]();
    await stopping;
    jest.advanceTimersByTime(600_000);
    expect(calls).toHaveBeenCalledTimes(1);
  });
});
