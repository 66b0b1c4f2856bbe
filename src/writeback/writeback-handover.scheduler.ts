import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicTask } from '../shared/periodic-task';
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
  private readonly task = new PeriodicTask<HandoverCheckResult | undefined>(
    () => this.check.run(),
    (error: unknown) => {
      this.logger.error(`Hand-over check failed: ${describeError(error)}`);
      return undefined;
    },
  );

  constructor(
    private readonly check: HandoverCheck,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workerEnabled) this.task.start(this.config.handoverCheckMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One round of every municipality now, unless one is still running; resolves when it is done. */
  round(): Promise<HandoverCheckResult | undefined> {
    return this.task.round();
  }
}
