import { AsyncResource } from 'node:async_hooks';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
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
 * When write-back batches run: a poll timer, a wake after each commit that queued a job, one
 * batch at a time, and at shutdown no new batch while the one in flight is recorded. What a
 * batch does is `WritebackProcessor`'s; how its outcomes are stored is `WritebackRecorder`'s.
 */
@Injectable()
export class WritebackWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WritebackWorker');
  /** Batches run one after another: a promise chain as a mutex. */
  private queue: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private woken = false;
  private wakePending = false;
  /** Polling runs from bootstrap until shutdown; `drain()` works without it, until shutdown. */
  private started = false;
  private closing = false;
  private stopped?: Promise<void>;
  /**
   * The poll timer's callback, bound to the context the worker was made in. `wake()` runs inside
   * the request that committed an approval; a timer set there would carry that request's
   * AsyncLocalStorage context (and its id on every log line) into every poll that follows.
   */
  private readonly pollOutsideRequests = AsyncResource.bind(() => void this.poll());

  constructor(
    private readonly orm: MikroORM,
    private readonly processor: WritebackProcessor,
    private readonly recorder: WritebackRecorder,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
  ) {}

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
    this.started = true;
    this.schedule(0);
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
    this.stopped ??= this.finishInFlight();
    return this.stopped;
  }

  private async finishInFlight(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(false), this.config.shutdownGraceMs);
    });
    const finished = this.queue.then(() => this.recorder.drained()).then(() => true);
    const inTime = await Promise.race([finished, grace]);
    clearTimeout(timeout);
    if (!inTime) {
      this.logger.warn(
        `Write-back batch still running after ${this.config.shutdownGraceMs} ms; its jobs stay claimed`,
      );
    }
  }

  /**
   * Look for due jobs soon rather than at the next poll, e.g. right after an approval commits:
   * within `WRITEBACK_WAKE_DELAY_MS`, so that under load the approvals of that moment go out in
   * one claimed batch instead of one claim, one record and one audit commit each.
   */
  wake(): void {
    if (!this.started || this.closing) return;
    if (this.polling) this.woken = true;
    else if (!this.wakePending) {
      this.wakePending = true;
      this.schedule(this.config.wakeDelayMs);
    }
  }

  /** Processes batches until no job is due; returns how many attempts were made. */
  async drain(): Promise<number> {
    let total = 0;
    while (!this.closing) {
      const processed = await this.exclusive(() => this.processor.runBatch());
      if (processed === 0) break;
      total += processed;
    }
    return total;
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

  private schedule(delayMs: number): void {
    if (!this.started || this.closing) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.pollOutsideRequests, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.polling = true;
    this.wakePending = false;
    this.woken = false;
    try {
      // Full batches back to back; a part batch means the queue is empty for now.
      while (
        !this.closing &&
        (await this.exclusive(() => this.processor.runBatch())) >= this.config.batchSize
      );
    } catch (error) {
      this.logger.error(`Write-back poll failed: ${describeError(error)}`);
    } finally {
      this.polling = false;
      // Woken while busy: look again soon, as `wake` would have asked.
      this.wakePending = this.woken;
      this.schedule(this.woken ? this.config.wakeDelayMs : this.config.pollMs);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
