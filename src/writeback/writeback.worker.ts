import { AsyncResource } from 'node:async_hooks';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigError } from '../config/config.error';
import { type FinanceConfig, financeConfig } from '../finance/finance.config';
import { FinanceNotFoundError } from '../finance/finance.errors';
import { FinanceSystem } from '../finance/finance-system.port';
import type { FinanceTenant } from '../finance/finance-tenant';
import { Municipality } from '../tenancy/municipality.entity';
import { GroupCommit, type ItemResult } from '../database/group-commit';
import { claimDueJobs, releaseOwnClaims } from './writeback-claim';
import { WritebackJob } from './writeback-job.entity';
import { failureOutcome, type RetryPolicy, type WritebackOutcome } from './writeback-outcome';
import { type WritebackConfig, writebackConfig } from './writeback.config';

/** Called in the transaction that records an outcome; whatever it persists on `em` commits with it. */
export type WritebackOutcomeListener = (
  job: WritebackJob,
  outcome: WritebackOutcome,
  em: EntityManager,
) => Promise<void>;

export interface RecordedOutcome {
  readonly job: WritebackJob;
  readonly outcome: WritebackOutcome;
}

/** As `WritebackOutcomeListener`, for all the outcomes one transaction records, in order. */
export type WritebackOutcomesListener = (
  recorded: readonly RecordedOutcome[],
  em: EntityManager,
) => Promise<void>;

interface PendingRecord {
  job: WritebackJob;
  attempt: number;
  outcome: WritebackOutcome;
}

/**
 * Writes approved due dates to the finance system: polls for due jobs, claims a batch under a
 * lease, calls `setDueDate` with each job's idempotency key and records what happened. A worker
 * that dies mid-call leaves its jobs in progress; when their lease runs out another worker (or
 * this one, restarted) takes them over, and the idempotency key keeps the finance system from
 * applying a change twice.
 */
@Injectable()
export class WritebackWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WritebackWorker');
  private readonly listeners: WritebackOutcomesListener[] = [];
  /**
   * Outcomes that arrive while a record transaction runs go together in the next: a batch of
   * answers costs one commit (and one lock of each audit chain head) instead of one per job.
   */
  private readonly recorder = new GroupCommit<PendingRecord, boolean>(
    (records) => this.recordMany(records),
    { maxBatch: 200, concurrency: 1 },
  );
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
  private readonly retryPolicy: RetryPolicy;
  /**
   * The poll timer's callback, bound to the context the worker was made in. `wake()` runs inside
   * the request that committed an approval; a timer set there would carry that request's
   * AsyncLocalStorage context (and its id on every log line) into every poll that follows.
   */
  private readonly pollOutsideRequests = AsyncResource.bind(() => void this.poll());

  constructor(
    private readonly orm: MikroORM,
    private readonly finance: FinanceSystem,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
    @Inject(financeConfig.KEY) financeSettings: FinanceConfig,
  ) {
    // A keyed PUT may be tried three times with backoff between; a lease shorter than that would
    // hand a job to a second worker while the first is still waiting for its answer.
    const longestCallMs = 3 * financeSettings.writeTimeoutMs + 2_000;
    if (config.leaseMs <= longestCallMs) {
      throw new ConfigError(
        `Invalid configuration: WRITEBACK_LEASE_MS must be longer than a finance write can take (${longestCallMs} ms with FINANCE_WRITE_TIMEOUT_MS=${financeSettings.writeTimeoutMs})`,
      );
    }
    this.retryPolicy = {
      baseMs: config.backoffBaseMs,
      capMs: config.backoffCapMs,
      maxAttempts: config.maxAttempts,
    };
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
    this.started = true;
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops polling and waits, within the grace period, for the batch in flight to be recorded
   * (with whatever the outcome listeners write), so call it before they or the database go.
   * Jobs still unrecorded after the grace period stay claimed; this instance takes them back
   * when it starts again, any other once their lease runs out.
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
      const processed = await this.exclusive(() => this.runBatch());
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
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
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
        (await this.exclusive(() => this.runBatch())) >= this.config.batchSize
      );
    } catch (error) {
      this.logger.error(`Write-back poll failed: ${describe(error)}`);
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

  private async runBatch(): Promise<number> {
    const jobs = await claimDueJobs(this.orm.em.fork(), {
      now: new Date(),
      limit: this.config.batchSize,
      leaseMs: this.config.leaseMs,
      claimant: this.config.instanceId,
    });
    if (jobs.length === 0) return 0;
    const tenants = await this.tenantsOf(jobs);
    // Side by side, so the batch takes as long as its slowest call, well within one lease.
    await Promise.all(jobs.map((job) => this.process(job, tenants.get(job.municipalityId))));
    return jobs.length;
  }

  private async tenantsOf(jobs: WritebackJob[]): Promise<Map<string, FinanceTenant>> {
    const ids = [...new Set(jobs.map((job) => job.municipalityId))];
    const rows = await this.orm.em.fork().find(Municipality, { id: { $in: ids } });
    return new Map(
      rows.map((m) => [m.id, { id: m.id, slug: m.slug, settings: { ...m.settings } }]),
    );
  }

  private async process(job: WritebackJob, tenant: FinanceTenant | undefined): Promise<void> {
    const attempt = job.attempts;
    let outcome: WritebackOutcome;
    try {
      if (!tenant) throw new FinanceNotFoundError('municipality');
      const change = await this.finance.setDueDate(tenant, {
        invoiceId: job.invoiceId,
        pid: job.pid,
        newDueDate: job.newDueDate,
        idempotencyKey: job.idempotencyKey,
        reason: job.reason,
      });
      outcome = { kind: 'done', change };
    } catch (error) {
      outcome = failureOutcome(error, attempt, this.retryPolicy, new Date());
    }
    try {
      const recorded = await this.recorder.submit({ job, attempt, outcome });
      this.report(job.id, attempt, outcome, recorded);
    } catch (error) {
      // The job stays in progress; once its lease runs out it is tried again, under the same key.
      this.logger.error(`Write-back ${job.id}: outcome not recorded: ${describe(error)}`);
    }
  }

  /**
   * Only the claim that is still current may record: `attempts` is the fencing token, so a worker
   * whose lease ran out and whose job was taken over cannot overwrite the newer claim's result.
   */
  private async recordMany(records: PendingRecord[]): Promise<ItemResult<boolean>[]> {
    const recorded = await this.orm.em.fork().transactional(async (em) => {
      const flags: boolean[] = [];
      for (const { job, attempt, outcome } of records) {
        const updated = await em.nativeUpdate(
          WritebackJob,
          { id: job.id, status: 'in_progress', attempts: attempt },
          changesFor(outcome),
        );
        flags.push(updated > 0);
        // Listeners see the job as it now stands in the database.
        if (updated > 0) Object.assign(job, changesFor(outcome));
      }
      const current = records.filter((_, i) => flags[i]);
      if (current.length > 0) for (const listener of this.listeners) await listener(current, em);
      return flags;
    });
    return recorded.map((value) => ({ ok: true, value }));
  }

  private report(jobId: string, attempt: number, outcome: WritebackOutcome, recorded: boolean) {
    const what = `Write-back ${jobId} attempt ${attempt}`;
    if (!recorded) {
      this.logger.warn(`${what}: ${outcome.kind}, not recorded: another worker took the job over`);
    } else if (outcome.kind === 'done') {
      this.logger.log(`${what}: done${outcome.change.replayed ? ' (replayed)' : ''}`);
    } else if (outcome.kind === 'retry') {
      this.logger.warn(
        `${what}: ${outcome.error}; retry at ${outcome.nextAttemptAt.toISOString()}`,
      );
    } else {
      this.logger.error(`${what}: failed (${outcome.error}); left for an officer`);
    }
  }
}

function changesFor(outcome: WritebackOutcome): Partial<WritebackJob> {
  switch (outcome.kind) {
    case 'done':
      return {
        status: 'done',
        result: outcome.change,
        completedAt: new Date(),
        lockedUntil: null,
        lastError: null,
      };
    case 'retry':
      return {
        status: 'pending',
        nextAttemptAt: outcome.nextAttemptAt,
        lockedUntil: null,
        lastError: outcome.error,
      };
    case 'failed':
      return { status: 'failed', lockedUntil: null, lastError: outcome.error };
  }
}

/** Driver errors may quote a query's parameters; identity numbers are masked before logging. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\d{11}/g, '<11 digits>').slice(0, 500);
}
