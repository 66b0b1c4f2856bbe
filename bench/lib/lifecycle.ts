import { connect } from './database';
import type { BenchContext } from './context';
import { startPortal, type RunningPortal } from './portal';
import { startNode, type Child, waitForOk } from './processes';
import { freePort } from './portal';

/** Stops the running portal (if any) and starts a fresh one; its start-up time is recorded. */
export async function restartPortal(
  ctx: BenchContext,
  label: string,
  options: { profile?: boolean; sample?: boolean; env?: Record<string, string> } = {},
): Promise<RunningPortal> {
  await stopPortal(ctx);
  if (!ctx.portalSettings)
    throw new Error('the portal needs the database and the test ID-porten first');
  const portal = await startPortal(label, ctx.portalSettings, {
    port: ctx.portalPort || undefined,
    cpuProfileDir: options.profile ? ctx.cpuProfileDir : undefined,
    env: options.env,
  });
  if (options.sample !== false) ctx.startups.push({ label, ms: portal.startupMs });
  ctx.portal = portal;
  ctx.log(`portal ${label} ready in ${portal.startupMs} ms (pid ${portal.child.pid})`);
  return portal;
}

export async function stopPortal(ctx: BenchContext): Promise<void> {
  const running = ctx.portal;
  if (!running) return;
  ctx.portal = undefined;
  await running.child.stop();
}

/** A baseline server (bench/baselines/*) as a child process, ready when it listens. */
export async function startBaseline(
  ctx: BenchContext,
  script: string,
  name: string,
): Promise<{ child: Child; url: string }> {
  if (!ctx.db || !ctx.dataset || !ctx.portalSettings)
    throw new Error('baselines need the loaded database');
  const port = await freePort();
  const child = startNode(name, script, {
    PORT: String(port),
    DATABASE_URL: ctx.db.url,
    SESSION_SECRET: ctx.portalSettings.sessionSecret,
    MUNICIPALITY_ID: ctx.dataset.mainId,
    DB_POOL_MAX: '10',
    NODE_ENV: 'production',
  });
  await child.waitForLine(/baseline listening/, 30_000);
  const url = `http://127.0.0.1:${port}`;
  return { child, url };
}

/** Waits until no write-back job of the municipality is pending or in progress; returns ms waited. */
export async function waitForOutbox(
  ctx: BenchContext,
  municipalityId: string,
  timeoutMs: number,
): Promise<number> {
  if (!ctx.db) return 0;
  const client = await connect(ctx.db.url);
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from writeback_jobs where municipality_id = $1 and status in ('pending', 'in_progress')",
        [municipalityId],
      );
      if (Number(rows[0].n) === 0) return performance.now() - started;
      if (performance.now() - started > timeoutMs)
        throw new Error(`${rows[0].n} write-back jobs still open after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

export { waitForOk };
