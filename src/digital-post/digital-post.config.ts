import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));

const schema = z.object({
  /** One call to SvarUt or Maskinporten; a decision letter is one small PDF. */
  LETTERS_TIMEOUT_MS: int(100, 120_000, 30_000),
  LETTERS_POLL_MS: int(10, 300_000, 5_000),
  LETTERS_BACKOFF_MS: int(1, 300_000, 30_000),
  LETTERS_MAX_ATTEMPTS: int(1, 100, 12),
});

/** Retries of a letter never wait longer than this, however many came before. */
export const LETTERS_BACKOFF_CAP_MS = 60 * 60_000;

/** Letters through digital post (the outbox's timing); the channel itself is per municipality. */
export function parseDigitalPostConfig(env: Record<string, string | undefined>) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(
      `Invalid configuration: ${name} ${issue.message}, got '${String(env[name]).slice(0, 60)}'`,
    );
  }
  return {
    timeoutMs: parsed.data.LETTERS_TIMEOUT_MS,
    outbox: {
      pollMs: parsed.data.LETTERS_POLL_MS,
      backoffBaseMs: parsed.data.LETTERS_BACKOFF_MS,
      backoffCapMs: LETTERS_BACKOFF_CAP_MS,
      maxAttempts: parsed.data.LETTERS_MAX_ATTEMPTS,
    },
  };
}

export const digitalPostConfig = registerAs('digitalPost', () =>
  parseDigitalPostConfig(process.env),
);
export type DigitalPostConfig = ConfigType<typeof digitalPostConfig>;
