import { type EntityClass, type EntityManager, LockMode } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';

/** A job sent under a lease (write-back, e-mail, digital letter): what `claimLeasedJobs` reads and sets. */
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
export function claimLeasedJobs<T extends LeasedJob>(
  em: EntityManager,
  entity: EntityClass<T>,
  options: {
    now: Date;
    leaseMs: number;
    limit: number;
    /** Anything else a claim records on the job (the write-back's claimant). */
    mark?: (job: T) => void;
  },
): Promise<T[]> {
  const { now, leaseMs, limit } = options;
  const rowLocks = !(em.getPlatform() instanceof SqlitePlatform);
  return em.transactional(async (tx) => {
    // Queried as the fields every leased job has; the rows are the caller's entities.
    const leased: EntityClass<LeasedJob> = entity;
    const jobs = (await tx.find(
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
    const lockedUntil = new Date(now.getTime() + leaseMs);
    for (const job of jobs) {
      job.status = 'in_progress';
      job.lockedUntil = lockedUntil;
      job.attempts += 1;
      options.mark?.(job);
    }
    return jobs;
  });
}
