import { type EntityClass, LockMode, type MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';

/** An outbox job sent under a lease: what `claimDueJobs` reads and sets. */
export interface LeasedJob {
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
}

/**
 * Claims up to `limit` jobs that are due (`pending` and their time has come) or whose lease ran
 * out (`in_progress`, the instance that took them died or hung), oldest first, in one
 * transaction: each becomes `in_progress` with a lease of `leaseMs` and one more attempt, the
 * attempt count being the fencing token its outcome is recorded with. On PostgreSQL the rows are
 * locked with `FOR UPDATE SKIP LOCKED`, so instances claiming at once share the work; SQLite has
 * one writer.
 */
export function claimDueJobs<T extends LeasedJob>(
  orm: MikroORM,
  entity: EntityClass<T>,
  options: { now: Date; leaseMs: number; limit: number },
): Promise<T[]> {
  const { now, leaseMs, limit } = options;
  const rowLocks = !(orm.em.getPlatform() instanceof SqlitePlatform);
  return orm.em.fork().transactional(async (em) => {
    // Queried as the fields every leased job has; the rows are the caller's entities.
    const leased: EntityClass<LeasedJob> = entity;
    const jobs = (await em.find(
      leased,
      {
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          { status: 'in_progress', lockedUntil: { $lt: now } },
        ],
      },
      {
        orderBy: { nextAttemptAt: 'asc' },
        limit,
        lockMode: rowLocks ? LockMode.PESSIMISTIC_PARTIAL_WRITE : undefined,
      },
    )) as T[];
    for (const job of jobs) {
      job.status = 'in_progress';
      job.lockedUntil = new Date(now.getTime() + leaseMs);
      job.attempts += 1;
    }
    return jobs;
  });
}
