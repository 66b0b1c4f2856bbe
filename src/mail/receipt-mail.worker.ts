import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { OutboxSchedule } from '../shared/outbox-schedule';
import { errorName } from './error-name';
import { type MailConfig, mailConfig } from './mail.config';
import { ReceiptMailSender } from './receipt-mail-sender';

/** A send is bounded by SMTP_TIMEOUT_MS; shutdown waits no longer than this for the batch. */
const MAX_SHUTDOWN_WAIT_MS = 10_000;

/**
 * When receipt batches run (`OutboxSchedule`): on a poll timer, and soon after a commit that
 * queued a receipt; one batch at a time; at shutdown none new, while the one in flight is
 * recorded. Runs on every instance with SMTP_URL set.
 */
@Injectable()
export class ReceiptMailWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReceiptMail');
  private readonly schedule: OutboxSchedule;

  constructor(
    sender: ReceiptMailSender,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {
    this.schedule = new OutboxSchedule({
      runBatch: () => sender.runBatch(),
      pollMs: config.outbox.pollMs,
      shutdownWaitMs: Math.min(config.timeoutMs + 1_000, MAX_SHUTDOWN_WAIT_MS),
      onPollError: (error) => this.logger.error(`Receipt poll failed: ${errorName(error)}`),
      onShutdownTimeout: (limit) =>
        this.logger.warn(`Receipt batch still sending after ${limit} ms; it is retried later`),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled) this.schedule.start();
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

  /** Sends batches until none is due; returns how many receipts were tried. For tests and tools. */
  drain(): Promise<number> {
    return this.schedule.drain();
  }
}
