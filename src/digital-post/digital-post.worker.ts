import { AsyncResource } from 'node:async_hooks';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type DigitalPostConfig, digitalPostConfig } from './digital-post.config';
import { DigitalPostSender } from './digital-post.sender';

/** Waking soon rather than at once lets the letters of one moment share a claim. */
const WAKE_DELAY_MS = 50;
/**
 * Shutdown waits no longer than this for the batch in flight; a letter still sending after it is
 * taken over once its lease runs out, and a lookup by its `eksternReferanse` keeps that from
 * being a second (see `DigitalPostSender`).
 */
const MAX_SHUTDOWN_WAIT_MS = 10_000;

/**
 * When digital letter batches run: on a poll timer, and soon after a commit that queued a letter;
 * one batch at a time; at shutdown none new, while the one in flight is recorded. Runs on every
 * instance (the channel is chosen per municipality; an idle poll is one indexed query).
 * The same schedule as the e-mail outbox's worker.
 */
@Injectable()
export class DigitalPostWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DigitalPost');
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private polling = false;
  private woken = false;
  private started = false;
  private closing = false;
  private stopped?: Promise<void>;
  /** Not in the context of the request whose commit woke it (its id would tag every poll's logs). */
  private readonly pollOutsideRequests = AsyncResource.bind(() => void this.poll());

  constructor(
    private readonly sender: DigitalPostSender,
    @Inject(digitalPostConfig.KEY) private readonly config: DigitalPostConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.started = true;
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** No new batch; waits (within a bound) for the one in flight to be recorded. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.closing = true;
      clearTimeout(this.timer);
      let timeout: NodeJS.Timeout | undefined;
      const limit = Math.min(this.config.timeoutMs + 1_000, MAX_SHUTDOWN_WAIT_MS);
      const waited = new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), limit);
      });
      const inTime = await Promise.race([this.running.then(() => true), waited]);
      clearTimeout(timeout);
      if (!inTime)
        this.logger.warn(`Letter batch still sending after ${limit} ms; it is retried later`);
    })();
    return this.stopped;
  }

  wake(): void {
    if (!this.started || this.closing) return;
    if (this.polling) this.woken = true;
    else this.schedule(WAKE_DELAY_MS);
  }

  /** Sends batches until none is due; returns how many letters were tried. For tests and tools. */
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
    this.woken = false;
    try {
      while (!this.closing && (await this.exclusive()) > 0);
    } catch (error) {
      this.logger.error(`Letter poll failed: ${(error as Error)?.name ?? 'Error'}`);
    } finally {
      this.polling = false;
      this.schedule(this.woken ? WAKE_DELAY_MS : this.config.outbox.pollMs);
    }
  }

  private exclusive(): Promise<number> {
    const run = this.running.then(() => this.sender.runBatch());
    this.running = run.catch(() => undefined);
    return run;
  }
}
