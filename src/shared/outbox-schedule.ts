import { AsyncResource } from 'node:async_hooks';

/** Waking soon rather than at once lets the jobs of one moment share a claim. */
const WAKE_DELAY_MS = 50;

export interface OutboxScheduleOptions {
  /** Claims and sends one batch; resolves to how many jobs it claimed (0: none due). */
  runBatch: () => Promise<number>;
  /** How long to sleep when nothing is due. */
  pollMs: number;
  /** How soon after a `wake` the batch runs (50 ms by default). */
  wakeDelayMs?: number;
  /**
   * A batch of this many (or more) means more may be due: the next runs at once. A smaller one
   * means the queue is empty for now. 1 by default: any job claimed asks for another batch.
   */
  fullBatch?: number;
  /** How long `stop` waits for the batch in flight before giving up on it (it is retried later). */
  shutdownWaitMs: number;
  /** What `stop` waits for after the batch in flight, within the same bound (e.g. its records). */
  settle?: () => Promise<unknown>;
  /** Told of a poll that failed, and of a batch still sending when `stop` gave up on it. */
  onPollError: (error: unknown) => void;
  onShutdownTimeout: (waitedMs: number) => void;
}

/**
 * When an outbox's batches run (the e-mail receipts', the digital letters'): on a poll timer, and
 * soon after a commit that queued a job (`wake`); one batch at a time; at `stop` none new, while
 * the one in flight is recorded within a bound. Timers never keep the process alive.
 */
export class OutboxSchedule {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private polling = false;
  private woken = false;
  /** A wake's timer is set: later wakes leave it be, or a steady stream of them would starve it. */
  private wakePending = false;
  private started = false;
  private closing = false;
  private stopped?: Promise<void>;
  /** Not in the context of the request whose commit woke it (its id would tag every poll's logs). */
  private readonly pollOutsideRequests = AsyncResource.bind(() => void this.poll());

  constructor(private readonly options: OutboxScheduleOptions) {}

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  /** No new batch; waits (within a bound) for the one in flight to be recorded. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.closing = true;
      clearTimeout(this.timer);
      let timeout: NodeJS.Timeout | undefined;
      const limit = this.options.shutdownWaitMs;
      const waited = new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), limit);
      });
      const settled = this.running.then(() => this.options.settle?.()).then(() => true);
      const inTime = await Promise.race([settled, waited]);
      clearTimeout(timeout);
      if (!inTime) this.options.onShutdownTimeout(limit);
    })();
    return this.stopped;
  }

  wake(): void {
    if (!this.started || this.closing) return;
    if (this.polling) this.woken = true;
    else if (!this.wakePending) {
      this.wakePending = true;
      this.schedule(this.wakeDelayMs);
    }
  }

  /** Runs batches until none is due; returns how many jobs were tried. For tests and tools. */
  async drain(): Promise<number> {
    let total = 0;
    while (!this.closing) {
      const tried = await this.exclusive();
      if (tried === 0) break;
      total += tried;
    }
    return total;
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
    const full = this.options.fullBatch ?? 1;
    try {
      while (!this.closing && (await this.exclusive()) >= full);
    } catch (error) {
      this.options.onPollError(error);
    } finally {
      this.polling = false;
      // Woken while busy: look again soon, as `wake` would have asked.
      this.wakePending = this.woken;
      this.schedule(this.woken ? this.wakeDelayMs : this.options.pollMs);
    }
  }

  private get wakeDelayMs(): number {
    return this.options.wakeDelayMs ?? WAKE_DELAY_MS;
  }

  private exclusive(): Promise<number> {
    const run = this.running.then(() => this.options.runBatch());
    this.running = run.catch(() => undefined);
    return run;
  }
}
