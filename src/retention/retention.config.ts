import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

const YEARS = 'must be a whole number of years from 1 to 100';

const schema = z.object({
  RETENTION_YEARS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number({ error: YEARS }).int(YEARS).min(1, YEARS).max(100, YEARS).default(5),
  ),
});

/** A day; the job also runs once a few minutes after start, so a daily restart never skips it. */
export const RETENTION_INTERVAL_MS = 24 * 3_600_000;
export const RETENTION_FIRST_RUN_MS = 10 * 60_000;

/**
 * How long residents' personal data is kept after a decision (bokføringsloven: five years), and
 * how the retention job runs. Requests are removed in batches, each one transaction and one audit
 * entry.
 */
export function parseRetentionConfig(env: Record<string, string | undefined>) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(
      `Invalid configuration: ${name} ${issue.message}, got '${String(env[name]).slice(0, 40)}'`,
    );
  }
  return {
    years: parsed.data.RETENTION_YEARS,
    intervalMs: RETENTION_INTERVAL_MS,
    firstRunMs: RETENTION_FIRST_RUN_MS,
    batchSize: 500,
  };
}

export const retentionConfig = registerAs('retention', () => parseRetentionConfig(process.env));
export type RetentionConfig = ConfigType<typeof retentionConfig>;
