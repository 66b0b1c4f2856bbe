import { LockMode, type EntityManager } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { WritebackJob } from './writeback-job.entity';

export interface ClaimOptions {
  now: Date;
  limit: number;
  leaseMs: number;
  /** This instance's `WRITEBACK_INSTANCE_ID`, recorded with each claim. */
  claimant: string;
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
  const { now, limit, leaseMs, claimant } = options;
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
      job.claimedBy = claimant;
      job.attempts += 1;
    }
    return jobs;
  });
}

/**
 * Makes the in-progress claims of `claimant` due again at once; returns how many. Called as an
 * instance starts: its claims are then left over from its previous run, which died mid-batch, and
 * need not wait out their lease. Claims of other instances are not touched, and `attempts` stays
 * as it is, so the fencing token still tells a new claim from the dead one.
 */
export async function releaseOwnClaims(
  em: EntityManager,
  claimant: string,
  now: Date,
): Promise<number> {
  return em.nativeUpdate(
    WritebackJob,
    { status: 'in_progress', claimedBy: claimant },
    { status: 'pending', lockedUntil: null, nextAttemptAt: now },
  );
}
