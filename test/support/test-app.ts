import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app.factory';
import { TenancyService } from '../../src/tenancy/tenancy.service';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  db: TestDatabase;
  /** A fresh EntityManager for arranging and asserting data. */
  em(): EntityManager;
  /** Forget cached tenant data after a test wrote municipalities directly. */
  refreshTenants(): void;
  close(): Promise<void>;
}

/**
 * The real portal on a random port against its own fresh database, built exactly like `main.ts`
 * builds it. `env` overrides settings for this app only.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { port?: number } = {},
): Promise<TestApp> {
  return startTestAppOn(await createTestDatabase(), env, options);
}

/** Like startTestApp, on a database that already exists (it is dropped when the app closes). */
export async function startTestAppOn(
  db: TestDatabase,
  env: Record<string, string> = {},
  options: { port?: number } = {},
): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, { DB_MIGRATE_ON_START: 'true', ...db.env, ...env });
  let app: NestExpressApplication;
  try {
    app = await createApp();
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    await db.drop();
    throw error;
  } finally {
    process.env = saved;
  }
  const address = app.getHttpServer().address() as { port: number };
  const orm = app.get(MikroORM);
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    db,
    em: () => orm.em.fork(),
    refreshTenants: () => app.get(TenancyService).invalidate(),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Two instances of the portal on one fresh database, as behind a load balancer (PostgreSQL only:
 * SQLite is one process). `close` stops both and drops the database.
 */
export async function startTwoInstances(
  env: Record<string, string> = {},
): Promise<{ a: TestApp; b: TestApp; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const a = await startTestAppOn(db, env);
  // The second instance shares the database; the first one drops it.
  const b = await startTestAppOn({ ...db, drop: async () => undefined }, env).catch(
    async (error: unknown) => {
      await a.close();
      throw error;
    },
  );
  return {
    a,
    b,
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

/**
 * Ends every instance's connection that LISTENs on `channel`, as a failover or a restart of
 * PostgreSQL would; returns how many were ended.
 */
export async function cutListeningConnections(app: TestApp, channel: string): Promise<number> {
  const ended = (await app
    .em()
    .getConnection()
    .execute(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and query = ?`,
      [`LISTEN ${channel}`],
    )) as unknown[];
  return ended.length;
}
