import { LockMode, type EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { WritebackJob } from './writeback-job.entity';

export interface ClaimOptions {
  now: Date;
  limit: number;
  leaseMs: number;
}

/**
 * Takes up to `limit` due jobs for this worker in one short transaction: pending ones whose time
 * has come, and in-progress ones whose worker's lease ran out (it crashed or hung). Each is marked
 * in progress under a fresh lease with its attempt counted; the returned `attempts` is the claim's
 * fencing token for recording the outcome.
 *
 * On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several workers claim side by side, each passing
 * over the rows another is claiming. SQLite has a single writer and no row locks, so the same
 * select without the lock clause is already exclusive there.
 */
export async function claimDueJobs(
  em: EntityManager,
  options: ClaimOptions,
): Promise<WritebackJob[]> {
  const { now, limit, leaseMs } = options;
  const rowLocks = !(em.getPlatform() instanceof SqlitePlatform);
  return em.transactional(async (tx) => {
    const jobs = await tx.find(
      WritebackJob,
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
    );
    const lockedUntil = new Date(now.getTime() + leaseMs);
    for (const job of jobs) {
      job.status = 'in_progress';
      job.lockedUntil = lockedUntil;
      job.attempts += 1;
    }
    return jobs;
  });
}
