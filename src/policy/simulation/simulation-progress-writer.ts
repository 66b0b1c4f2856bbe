import type { MikroORM } from '@mikro-orm/core';
import { CoalescingWriter } from '../../shared/coalescing-writer';
import { PolicySimulation } from './policy-simulation.entity';

/** A running simulation's progress and heartbeat in its row, written as `CoalescingWriter` does. */
export class SimulationProgressWriter extends CoalescingWriter<{
  done: number;
  total: number | null;
}> {
  constructor(orm: MikroORM, id: string, onError: (error: unknown) => void) {
    super(
      (latest) =>
        orm.em
          .fork()
          .nativeUpdate(
            PolicySimulation,
            { id, state: 'running' },
            { ...latest, heartbeatAt: new Date() },
          ),
      onError,
    );
  }

  update(done: number, total: number | null): void {
    this.set({ done, total });
  }
}
