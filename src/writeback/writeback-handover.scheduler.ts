import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { describeError } from './describe-error';
import { HandoverCheck, type HandoverCheckResult } from './writeback-handover-check';
import { type WritebackConfig, writebackConfig } from './writeback.config';

/**
 * Runs the hand-over check every WRITEBACK_HANDOVER_CHECK_MINUTES on each instance whose worker
 * is on. The timer never keeps the process alive, and shutdown waits for a round in flight so its
 * transactions are not cut off while the database closes.
 */
@Injectable()
export class HandoverCheckScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WritebackHandover');
  private timer?: NodeJS.Timeout;
  private running?: Promise<HandoverCheckResult | undefined>;

  constructor(
    private readonly check: HandoverCheck,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.workerEnabled) return;
    this.timer = setInterval(() => void this.round(), this.config.handoverCheckMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round of every municipality now, unless one is still running; resolves when it is done. */
  round(): Promise<HandoverCheckResult | undefined> {
    this.running ??= this.check
      .run()
      .catch((error: unknown) => {
        this.logger.error(`Hand-over check failed: ${describeError(error)}`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
