/** What `commit` says of each item: committed with its result, or refused on its own. */
export type ItemResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit: items submitted while a batch is being committed wait and go together in the
 * next one. Under load one transaction (one lock on the audit chain head, one fsync) carries
 * many requests; when idle a lone item is committed at once, so nobody waits for a timer.
 * `commit` gets the items in arrival order and answers for each; if it throws, every item of
 * that batch gets the error. At most `concurrency` batches are in flight.
 */
export class GroupCommit<T, R> {
  private readonly waiting: {
    item: T;
    resolve: (value: R) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private inFlight = 0;
  private idle: Promise<void> = Promise.resolve();
  private markIdle?: () => void;

  constructor(
    private readonly commit: (items: T[]) => Promise<ItemResult<R>[]>,
    private readonly options: { maxBatch: number; concurrency: number },
  ) {
    if (options.maxBatch < 1 || options.concurrency < 1)
      throw new RangeError('maxBatch and concurrency must be at least 1');
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.inFlight === 0 && this.waiting.length === 1)
        this.idle = new Promise((done) => (this.markIdle = done));
      this.startBatches();
    });
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
    try {
      const results = await this.commit(batch.map((b) => b.item));
      if (results.length !== batch.length)
        throw new Error(`group commit answered ${results.length} of ${batch.length} items`);
      results.forEach((result, i) =>
        result.ok ? batch[i].resolve(result.value) : batch[i].reject(result.error),
      );
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.inFlight--;
      this.startBatches();
      if (this.inFlight === 0 && this.waiting.length === 0) this.markIdle?.();
    }
  }
}
