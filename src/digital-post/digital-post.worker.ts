import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { errorName } from '../mail';
import { OutboxSchedule } from '../shared/outbox-schedule';
import { type DigitalPostConfig, digitalPostConfig } from './digital-post.config';
import { DigitalPostSender } from './digital-post.sender';

/**
 * Shutdown waits no longer than this for the batch in flight; a letter still sending after it is
 * taken over once its lease runs out, and a lookup by its `eksternReferanse` keeps that from
 * being a second (see `DigitalPostSender`).
 */
const MAX_SHUTDOWN_WAIT_MS = 10_000;

/**
 * When digital letter batches run (`OutboxSchedule`, as the e-mail outbox's worker): on a poll
 * timer, and soon after a commit that queued a letter; one batch at a time; at shutdown none new,
 * while the one in flight is recorded. Runs on every instance (the channel is chosen per
 * municipality; an idle poll is one indexed query).
 */
@Injectable()
export class DigitalPostWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DigitalPost');
  private readonly schedule: OutboxSchedule;

  constructor(sender: DigitalPostSender, @Inject(digitalPostConfig.KEY) config: DigitalPostConfig) {
    this.schedule = new OutboxSchedule({
      runBatch: () => sender.runBatch(),
      pollMs: config.outbox.pollMs,
      shutdownWaitMs: Math.min(config.timeoutMs + 1_000, MAX_SHUTDOWN_WAIT_MS),
      onPollError: (error) => this.logger.error(`Letter poll failed: ${errorName(error)}`),
      onShutdownTimeout: (limit) =>
        this.logger.warn(`Letter batch still sending after ${limit} ms; it is retried later`),
    });
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** No new batch; waits (within a bound) for the one in flight to be recorded. */
  stop(): Promise<void> {
    return this.schedule.stop();
  }

  wake(): void {
    this.schedule.wake();
  }

  /** Sends batches until none is due; returns how many letters were tried. For tests and tools. */
  drain(): Promise<number> {
    return this.schedule.drain();
  }
}
