import { CommitQueueFullError } from './database-unavailable';

/** What `commit` says of each item: committed with its result, or refused on its own. */
export type ItemResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit: items submitted while a batch is being committed wait and go together in the
 * next one. Under load one transaction (one lock on the audit chain head, one fsync) carries
 * many requests; when idle a lone item is committed at once, so nobody waits for a timer.
 * `commit` gets the items in arrival order and answers for each; if it throws, every item of
 * that batch gets the error. At most `concurrency` batches are in flight, and at most
 * `maxWaiting` items wait behind them: beyond that an item is refused at once
 * (`CommitQueueFullError`), so a stalled database does not gather residents without end.
 */
export class GroupCommit<T, R> {
  private readonly waiting: {
    item: T;
    since: number;
    resolve: (value: R) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private inFlight = 0;
  /** When the oldest item of each batch in flight was submitted. */
  private readonly inFlightSince = new Set<{ since: number }>();
  private lastFailure?: { at: number; error: unknown };
  private readonly clock: () => number;
  private idle: Promise<void> = Promise.resolve();
  private markIdle?: () => void;

  constructor(
    private readonly commit: (items: T[]) => Promise<ItemResult<R>[]>,
    private readonly options: {
      maxBatch: number;
      concurrency: number;
      maxWaiting?: number;
      clock?: () => number;
    },
  ) {
    if (options.maxBatch < 1 || options.concurrency < 1 || (options.maxWaiting ?? 1) < 1)
      throw new RangeError('maxBatch, concurrency and maxWaiting must be at least 1');
    this.clock = options.clock ?? Date.now;
  }

  submit(item: T): Promise<R> {
    if (this.waiting.length >= (this.options.maxWaiting ?? Infinity))
      return Promise.reject(new CommitQueueFullError());
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, since: this.clock(), resolve, reject });
      if (this.inFlight === 0 && this.waiting.length === 1)
        this.idle = new Promise((done) => (this.markIdle = done));
      this.startBatches();
    });
  }

  /**
   * Whether commits keep up: since when the oldest item not yet answered was submitted, and the
   * last batch whose commit threw, until a later batch commits.
   */
  progress(): { pendingSince?: number; lastFailure?: { at: number; error: unknown } } {
    const since = [...this.inFlightSince].map((b) => b.since);
    if (this.waiting.length > 0) since.push(this.waiting[0].since);
    return {
      pendingSince: since.length > 0 ? Math.min(...since) : undefined,
      lastFailure: this.lastFailure,
    };
  }

  /** Resolves once everything submitted so far has been committed or refused. */
  drained(): Promise<void> {
    return this.idle;
  }

  private startBatches(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: GroupCommit<T, R>['waiting']): Promise<void> {
    const started = { since: batch[0].since };
    this.inFlightSince.add(started);
    try {
      const results = await this.commit(batch.map((b) => b.item));
      if (results.length !== batch.length)
        throw new Error(`group commit answered ${results.length} of ${batch.length} items`);
      this.lastFailure = undefined;
      results.forEach((result, i) =>
        result.ok ? batch[i].resolve(result.value) : batch[i].reject(result.error),
      );
    } catch (error) {
      this.lastFailure = { at: this.clock(), error };
      for (const b of batch) b.reject(error);
    } finally {
      this.inFlightSince.delete(started);
      this.inFlight--;
      this.startBatches();
      if (this.inFlight === 0 && this.waiting.length === 0) this.markIdle?.();
    }
  }
}
