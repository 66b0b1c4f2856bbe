import { hostname } from 'node:os';
import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';
import { financeConfig } from '../finance';

const schema = z.object({
  WRITEBACK_WORKER: z.enum(['on', 'off']).default('on'),
  WRITEBACK_POLL_MS: z.coerce.number().int().min(10).max(300_000).default(500),
  WRITEBACK_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  WRITEBACK_WAKE_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(100),
  WRITEBACK_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  WRITEBACK_BACKOFF_MS: z.coerce.number().int().min(1).max(300_000).default(1_000),
  WRITEBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  WRITEBACK_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  WRITEBACK_HANDOVER_CHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  WRITEBACK_INSTANCE_ID: z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1–100 printable characters without spaces')
    .optional(),
});

/** Retries never wait longer than this, however many came before. */
export const WRITEBACK_BACKOFF_CAP_MS = 5 * 60_000;

/** How the write-back worker polls, leases, retries and gives up. */
export const writebackConfig = registerAs('writeback', () => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  // A keyed PUT may be tried three times with backoff between; a lease shorter than that would
  // hand a job to a second worker while the first is still waiting for its answer.
  const { writeTimeoutMs } = financeConfig();
  const longestCallMs = 3 * writeTimeoutMs + 2_000;
  if (env.WRITEBACK_LEASE_MS <= longestCallMs) {
    throw new ConfigError(
      `Invalid configuration: WRITEBACK_LEASE_MS must be longer than a finance write can take (${longestCallMs} ms with FINANCE_WRITE_TIMEOUT_MS=${writeTimeoutMs})`,
    );
  }
  return {
    /** `off` on an instance that only serves pages: other instances write back. */
    workerEnabled: env.WRITEBACK_WORKER === 'on',
    pollMs: env.WRITEBACK_POLL_MS,
    batchSize: env.WRITEBACK_BATCH,
    wakeDelayMs: env.WRITEBACK_WAKE_DELAY_MS,
    leaseMs: env.WRITEBACK_LEASE_MS,
    backoffBaseMs: env.WRITEBACK_BACKOFF_MS,
    backoffCapMs: WRITEBACK_BACKOFF_CAP_MS,
    maxAttempts: env.WRITEBACK_MAX_ATTEMPTS,
    shutdownGraceMs: env.WRITEBACK_SHUTDOWN_GRACE_MS,
    /** How often the worker reads the invoices of open hand-overs to see the new date registered. */
    handoverCheckMs: env.WRITEBACK_HANDOVER_CHECK_MINUTES * 60_000,
    /**
     * Who holds a claim: the same after a restart, so a restarted instance takes its own
     * unfinished claims back at once instead of waiting out their lease; different for every
     * instance sharing the database.
     */
    instanceId:
      env.WRITEBACK_INSTANCE_ID ?? `${hostname()}:${process.env.PORT ?? '3000'}`.slice(0, 100),
  };
});
export type WritebackConfig = ConfigType<typeof writebackConfig>;
