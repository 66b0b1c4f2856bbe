import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'must be a whole number from 1 to 65535' })
  .int('must be a whole number from 1 to 65535')
  .min(1, 'must be a whole number from 1 to 65535')
  .max(65535, 'must be a whole number from 1 to 65535');

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return ['postgres:', 'postgresql:'].includes(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { error: 'must be a URL like postgresql://user:password@host:5432/database' },
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * Every setting the portal reads from the environment. Defaults are the embedded demo's; production
 * (NODE_ENV=production) must set the secrets itself, enforced in `validateEnv`.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  DATABASE_URL: postgresUrl.optional(),
  SQLITE_PATH: z.string().min(1).default('data/minside-faktura.sqlite'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(3000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(15000),
  DB_COMMIT_QUEUE_MAX: z.coerce.number().int().min(1).default(500),
  DB_READY_STALL_MS: z.coerce.number().int().min(100).default(2000),
  DB_MIGRATE_ON_START: bool.optional(),
  DEMO_SEED: bool.optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DEFAULT_MUNICIPALITY: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a municipality slug (a-z, 0-9, -)')
    .optional(),
  TRUST_PROXY: z.string().default('loopback'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
});

export type Env = z.infer<typeof envSchema>;
