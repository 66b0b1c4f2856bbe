import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from './validate-env';

export const appConfig = registerAs('app', () => {
  const env = validateEnv(process.env);
  const production = env.NODE_ENV === 'production';
  return {
    nodeEnv: env.NODE_ENV,
    production,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    /** `pretty`: one line of plain text per entry for a person reading along (`npm start`). */
    logFormat: env.LOG_FORMAT,
    sessionSecret: env.SESSION_SECRET as string,
    trustProxy: env.TRUST_PROXY,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
    defaultMunicipality: env.DEFAULT_MUNICIPALITY ?? (production ? undefined : 'fjordvik'),
    demoSeed: env.DEMO_SEED ?? !production,
  };
});
export type AppConfig = ConfigType<typeof appConfig>;

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(process.env);
  return {
    kind: env.DATABASE_URL ? ('postgresql' as const) : ('sqlite' as const),
    url: env.DATABASE_URL,
    sqlitePath: env.SQLITE_PATH,
    poolMax: env.DB_POOL_MAX,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    commitQueueMax: env.DB_COMMIT_QUEUE_MAX,
    readyStallMs: env.DB_READY_STALL_MS,
    migrateOnStart: env.DB_MIGRATE_ON_START ?? env.NODE_ENV !== 'production',
  };
});
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
