import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type DatabaseConfig, databaseConfig } from '../config/app.config';
import { CommitQueues, unavailableKind } from '../database';

/**
 * How long a commit that ended in a database time-out keeps the instance unready when nothing
 * commits after it: long enough for a load balancer's probe to see it, short enough that an
 * instance that gets no traffic meanwhile comes back by itself.
 */
const TIMED_OUT_MEMORY_MS = 30_000;

/**
 * Whether the group commits (decisions, write-back outcomes) keep up. A ping does not see a
 * stalled database: `select 1` answers while the rows decisions need are locked. Stalled is an
 * item waiting longer than DB_READY_STALL_MS, or a last commit that gave up on a lock or
 * statement time-out with none succeeding since.
 */
@Injectable()
export class CommitQueuesHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly queues: CommitQueues,
    @Inject(databaseConfig.KEY) private readonly db: DatabaseConfig,
  ) {}

  check(key: string) {
    const now = Date.now();
    const stalled: string[] = [];
    for (const queue of this.queues.all()) {
      const { pendingSince, lastFailure } = queue.progress();
      if (pendingSince !== undefined && now - pendingSince > this.db.readyStallMs)
        stalled.push(`${queue.name} waiting ${now - pendingSince} ms`);
      else if (
        lastFailure &&
        now - lastFailure.at < TIMED_OUT_MEMORY_MS &&
        unavailableKind(lastFailure.error) === 'timeout'
      )
        stalled.push(`${queue.name} timed out ${now - lastFailure.at} ms ago`);
    }
    const indicator = this.indicators.check(key);
    return stalled.length > 0 ? indicator.down({ message: stalled.join('; ') }) : indicator.up();
  }
}
