import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicTask } from '../shared/periodic-task';
import { type RetentionConfig, retentionConfig } from './retention.config';
import { type RetentionRun, RetentionService } from './retention.service';

/**
 * Runs the retention job daily on every instance, and once a few minutes after start (an instance
 * restarted every night would otherwise never get to it). Instances running it at once lock the
 * rows each removes, so none is removed or audited twice. The timers never keep the process
 * alive, and shutdown waits for a run in flight so its transaction is not cut off half-way.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private readonly task = new PeriodicTask<RetentionRun | undefined>(
    () => this.retention.run(),
    (error: unknown) => {
      this.logger.error(
        `Retention job failed: ${(error as Error | null)?.name ?? 'unknown error'}`,
      );
      return undefined;
    },
  );

  constructor(
    private readonly retention: RetentionService,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.intervalMs, this.config.firstRunMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One run now, unless one is still running; resolves when it is done. */
  async round(): Promise<void> {
    await this.task.round();
  }
}
