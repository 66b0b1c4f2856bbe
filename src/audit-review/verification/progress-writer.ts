import type { MikroORM } from '@mikro-orm/core';
import { CoalescingWriter } from '../../shared/coalescing-writer';
import { VerificationRun } from './verification-run.entity';

/**
 * Stores a running verification's progress and heartbeat without holding the check up (see
 * `CoalescingWriter`): never awaited by the check, as it may hold every connection it can get
 * (parts side by side on PostgreSQL, the only one on SQLite).
 */
export class ProgressWriter extends CoalescingWriter<{ checked: number; total: number }> {
  constructor(orm: MikroORM, runId: string, onError: (error: unknown) => void) {
    super(
      (latest) =>
        orm.em
          .fork()
          .nativeUpdate(
            VerificationRun,
            { id: runId, status: 'running' },
            { ...latest, heartbeatAt: new Date() },
          ),
      onError,
    );
  }

  update(checked: number, total: number): void {
    this.set({ checked, total });
  }
}
