import type { MikroORM } from '@mikro-orm/core';
import { VerificationRun } from './verification-run.entity';

/**
 * Stores a running verification's progress and heartbeat without holding the check up: the check
 * tells it after every page and goes on; one write is in flight at a time, and what came in
 * meanwhile is written when it is done. Never awaited by the check, as it may hold every
 * connection it can get (parts side by side on PostgreSQL, the only one on SQLite).
 */
export class ProgressWriter {
  private latest?: { checked: number; total: number };
  private writing?: Promise<void>;
  private again = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly runId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  update(checked: number, total: number): void {
    this.latest = { checked, total };
    this.kick();
  }

  /** The run is alive though no page ended lately. */
  beat(): void {
    this.kick();
  }

  /** Resolves once nothing is left to write; never rejects. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private kick(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.writeUntilDone().finally(() => {
      this.writing = undefined;
    });
  }

  private async writeUntilDone(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.orm.em
          .fork()
          .nativeUpdate(
            VerificationRun,
            { id: this.runId, status: 'running' },
            { ...this.latest, heartbeatAt: new Date() },
          );
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }
}
