import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    @Inject(auditCheckpointConfig.KEY) private readonly config: AuditCheckpointConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.round(), this.config.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round now, unless one is still running; resolves when it is done. For tests and tools. */
  round(): Promise<void> {
    this.running ??= this.checkpoints
      .checkpointMovedHeads()
      .then(
        (made) => {
          for (const c of made)
            this.logger.log(
              `Audit checkpoint of ${c.municipalityId} at seq ${c.seq} signed by ${c.keyId}`,
            );
        },
        (error: unknown) =>
          this.logger.error(
            `Audit checkpoints could not be made: ${(error as Error | null)?.name ?? 'unknown error'}`,
          ),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
