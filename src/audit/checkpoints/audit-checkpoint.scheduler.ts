import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicTask } from '../../shared/periodic-task';
import { type AuditCheckpointConfig, auditCheckpointConfig } from './audit-checkpoint.config';
import { AuditCheckpoints } from './audit-checkpoints';

/**
 * Makes checkpoints every AUDIT_CHECKPOINT_MINUTES on every instance, of each chain whose head
 * moved since its last one (instances that sign the same head store it once). The timer never
 * keeps the process alive, and shutdown waits for a round in flight so it is not cut off
 * half-way through a transaction while the database closes.
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditCheckpoints');
  private readonly task = new PeriodicTask(
    async () => {
      for (const c of await this.checkpoints.checkpointMovedHeads())
        this.logger.log(
          `Audit checkpoint of ${c.municipalityId} at seq ${c.seq} signed by ${c.keyId}`,
        );
    },
    (error: unknown) =>
      this.logger.error(
        `Audit checkpoints could not be made: ${(error as Error | null)?.name ?? 'unknown error'}`,
      ),
  );

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    @Inject(auditCheckpointConfig.KEY) private readonly config: AuditCheckpointConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.intervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One round now, unless one is still running; resolves when it is done. For tests and tools. */
  round(): Promise<void> {
    return this.task.round();
  }
}
