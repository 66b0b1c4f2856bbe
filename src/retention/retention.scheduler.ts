import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type RetentionConfig, retentionConfig } from './retention.config';
import { RetentionService } from './retention.service';

/**
 * Runs the retention job daily on every instance, and once a few minutes after start (an instance
 * restarted every night would otherwise never get to it). Instances running it at once lock the
 * rows each removes, so none is removed or audited twice. The timers never keep the process
 * alive, and shutdown waits for a run in flight so its transaction is not cut off half-way.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private first?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly retention: RetentionService,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.first = setTimeout(() => void this.round(), this.config.firstRunMs);
    this.first.unref();
    this.timer = setInterval(() => void this.round(), this.config.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.first);
    clearInterval(this.timer);
    this.first = this.timer = undefined;
    await this.running;
  }

  /** One run now, unless one is still running; resolves when it is done. */
  round(): Promise<void> {
    this.running ??= this.retention
      .run()
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error(
            `Retention job failed: ${(error as Error | null)?.name ?? 'unknown error'}`,
          ),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
