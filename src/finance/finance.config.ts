import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

const schema = z.object({
  FINANCE_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  FINANCE_API_KEYS: z.string().optional(),
  FINANCE_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  FINANCE_WRITE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

/**
 * Secrets for the municipalities whose finance system is reached over HTTP (settings
 * `financeAdapter: "http"`). One key for all (`FINANCE_API_KEY`), or one per municipality slug
 * (`FINANCE_API_KEYS={"fjordvik":"…"}`); secrets never live in the database.
 */
export const financeConfig = registerAs('finance', () => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  let perMunicipality: Record<string, string> = {};
  if (parsed.data.FINANCE_API_KEYS) {
    try {
      perMunicipality = z
        .record(z.string(), z.string().min(16))
        .parse(JSON.parse(parsed.data.FINANCE_API_KEYS));
    } catch {
      throw new ConfigError(
        'Invalid configuration: FINANCE_API_KEYS must be JSON like {"slug":"key of 16+ characters"}',
      );
    }
  }
  return {
    defaultApiKey: parsed.data.FINANCE_API_KEY,
    apiKeys: perMunicipality,
    readTimeoutMs: parsed.data.FINANCE_READ_TIMEOUT_MS,
    writeTimeoutMs: parsed.data.FINANCE_WRITE_TIMEOUT_MS,
  };
});
export type FinanceConfig = ConfigType<typeof financeConfig>;
