import type { EntityManager } from '@mikro-orm/core';
import { claimLeasedJobs } from '../database';
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
export function claimDueJobs(em: EntityManager, options: ClaimOptions): Promise<WritebackJob[]> {
  const { claimant, ...lease } = options;
  return claimLeasedJobs(em, WritebackJob, {
    ...lease,
    mark: (job) => {
      job.claimedBy = claimant;
    },
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
