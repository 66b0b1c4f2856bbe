import { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { OutboxSchedule } from '../shared/outbox-schedule';
import { describeError } from './describe-error';
import { releaseOwnClaims } from './writeback-claim';
import type { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';
import { WritebackProcessor } from './writeback-processor';
import { WritebackRecorder, type WritebackOutcomesListener } from './writeback-recorder';
import { type WritebackConfig, writebackConfig } from './writeback.config';

export type { RecordedOutcome, WritebackOutcomesListener } from './writeback-recorder';

/** Called in the transaction that records an outcome; whatever it persists on `em` commits with it. */
export type WritebackOutcomeListener = (
  job: WritebackJob,
  outcome: WritebackOutcome,
  em: EntityManager,
) => Promise<void>;

/**
 * When write-back batches run (`OutboxSchedule`, as the e-mail and digital-letter outboxes'): a
 * poll timer, a wake after each commit that queued a job, full batches back to back, one batch at
 * a time, and at shutdown no new batch while the one in flight is recorded. What a batch does is
 * `WritebackProcessor`'s; how its outcomes are stored is `WritebackRecorder`'s.
 */
@Injectable()
export class WritebackWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WritebackWorker');
  private readonly schedule: OutboxSchedule;

  constructor(
    private readonly orm: MikroORM,
    processor: WritebackProcessor,
    private readonly recorder: WritebackRecorder,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
  ) {
    this.schedule = new OutboxSchedule({
      runBatch: () => processor.runBatch(),
      pollMs: config.pollMs,
      // Under load the approvals of one moment go out in one claimed batch instead of one claim,
      // one record and one audit commit each.
      wakeDelayMs: config.wakeDelayMs,
      fullBatch: config.batchSize,
      shutdownWaitMs: config.shutdownGraceMs,
      // The batch's outcomes are recorded with their audit entries before the database goes.
      settle: () => recorder.drained(),
      onPollError: (error) => this.logger.error(`Write-back poll failed: ${describeError(error)}`),
      onShutdownTimeout: (limit) =>
        this.logger.warn(`Write-back batch still running after ${limit} ms; its jobs stay claimed`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Whatever this instance still holds was claimed by its previous run, which is gone.
    const released = await releaseOwnClaims(this.orm.em.fork(), this.config.instanceId, new Date());
    if (released > 0) {
      this.logger.warn(
        `Took back ${released} write-back job(s) this instance (${this.config.instanceId}) left in progress`,
      );
    }
    if (!this.config.workerEnabled) {
      this.logger.log('Write-back worker off on this instance (WRITEBACK_WORKER=off)');
      return;
    }
    this.schedule.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops polling and waits, within the grace period, for the batch in flight to be recorded
   * with its audit entries, so call it before the database goes. Jobs still unrecorded after the
   * grace period stay claimed; this instance takes them back when it starts again, any other
   * once their lease runs out.
   */
  stop(): Promise<void> {
    return this.schedule.stop();
  }

  /**
   * Look for due jobs soon rather than at the next poll, e.g. right after an approval commits:
   * within `WRITEBACK_WAKE_DELAY_MS`.
   */
  wake(): void {
    this.schedule.wake();
  }

  /** Processes batches until no job is due; returns how many attempts were made. */
  drain(): Promise<number> {
    return this.schedule.drain();
  }

  /** Registers a listener for every recorded outcome; returns a function that removes it. */
  onOutcome(listener: WritebackOutcomeListener): () => void {
    return this.onOutcomes(async (recorded, em) => {
      for (const { job, outcome } of recorded) await listener(job, outcome, em);
    });
  }

  /** Registers a listener for each transaction's recorded outcomes; returns a function that removes it. */
  onOutcomes(listener: WritebackOutcomesListener): () => void {
    return this.recorder.onOutcomes(listener);
  }
}
