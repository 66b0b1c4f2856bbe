import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Child, startNode, waitForOk } from './processes';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PortalSettings {
  databaseUrl: string;
  sessionSecret: string;
  oidcIssuer: string;
  oidcClientId: string;
  oidcClientSecret: string;
  /** The test ID-porten's certificate, trusted through NODE_EXTRA_CA_CERTS. */
  caFile: string;
  financeApiKey: string;
}

/** Production refuses to start without a checkpoint signing key; one per run, shared by its portals. */
const AUDIT_SIGNING_KEY = randomBytes(32).toString('base64url');

/**
 * The portal as production runs it: NODE_ENV=production, migrations applied beforehand, https
 * issuer, secure cookies behind a TLS-terminating proxy (TRUST_PROXY=loopback; the bench sends
 * X-Forwarded-Proto: https), warn-level logs, and a rate limit high enough not to be the subject.
 */
export function portalEnv(settings: PortalSettings, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `https://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    DATABASE_URL: settings.databaseUrl,
    SESSION_SECRET: settings.sessionSecret,
    AUDIT_SIGNING_KEY,
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_PER_MINUTE: '100000000',
    OIDC_ISSUER: settings.oidcIssuer,
    OIDC_CLIENT_ID: settings.oidcClientId,
    OIDC_CLIENT_SECRET: settings.oidcClientSecret,
    // The run is longer than nobody's lunch break, but sessions made at the start are used at the end.
    SESSION_IDLE_MINUTES: '240',
    SESSION_ABSOLUTE_MINUTES: '720',
    NODE_EXTRA_CA_CERTS: settings.caFile,
    FINANCE_API_KEY: settings.financeApiKey,
    ...PRODUCTION_ENV,
    ...portalEnvExtra(),
  };
}

/**
 * BENCH_PORTAL_ENV (space-separated `NAME=value`): more environment for every portal in the run,
 * after production's (`MALLOC_ARENA_MAX=4` to try another arena count). Like
 * BENCH_PORTAL_NODE_ARGS, a run that sets it is not comparable with the results on file; the
 * report names it.
 */
export function portalEnvExtra(): Record<string, string> {
  const extra = process.env.BENCH_PORTAL_ENV?.trim();
  if (!extra) return {};
  return Object.fromEntries(
    extra.split(/\s+/).map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`BENCH_PORTAL_ENV: "${pair}" is not NAME=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/**
 * What `npm run start:prod` gives Node: a heap limit, so V8 collects garbage instead of growing
 * towards its default (a quarter of the machine's memory), and young-generation semi-spaces of
 * 16 MB. The live heap under load is ~60 MB (a heap snapshot after the list runs); measured on the
 * list load, the default young generation left the process at ~310 MB RSS, 16 MB semi-spaces at
 * ~230 MB and ~15 % more pages per second; 160 MB of old space halved the rate.
 */
export const PRODUCTION_NODE_ARGS = ['--max-old-space-size=192', '--max-semi-space-size=16'];

/**
 * What `npm run start:prod` puts in Node's environment: glibc's malloc limited to two arenas. Each
 * thread that allocates (V8's compiler and GC helpers, libuv's pool) otherwise gets an arena of its
 * own, which keeps what it freed: under the list's load the portal's malloc arenas held 53 MB, 37 MB
 * of them in the helper threads' arenas (mostly the compiler's freed zones); with two, 36 MB
 * (`/proc/PID/smaps`, bench/results/NOTES.md, 2026-12-08).
 */
export const PRODUCTION_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

/**
 * The portal's Node flags in this run: production's, then BENCH_PORTAL_NODE_ARGS (space-separated)
 * for an experiment (`--trace-gc`, `-r ./profile-hook.cjs`, another semi-space size). A run that
 * sets it is not comparable with the results on file; the report names the flags.
 */
export function portalNodeArgs(): string[] {
  const extra = process.env.BENCH_PORTAL_NODE_ARGS?.trim();
  return [...PRODUCTION_NODE_ARGS, ...(extra ? extra.split(/\s+/) : [])];
}

export interface RunningPortal {
  child: Child;
  url: string;
  port: number;
  /** Spawn to the first 200 from /health/ready. */
  startupMs: number;
}

/** Starts the compiled portal and waits for readiness; `cpuProfileDir` adds --cpu-prof. */
export async function startPortal(
  name: string,
  settings: PortalSettings,
  options: { port?: number; cpuProfileDir?: string; env?: Record<string, string> } = {},
): Promise<RunningPortal> {
  const port = options.port ?? (await freePort());
  const nodeArgs: string[] = portalNodeArgs();
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${options.cpuProfileDir}`,
      `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
    );
  }
  const started = performance.now();
  const child = startNode(
    name,
    'src/main.js',
    { ...portalEnv(settings, port), ...options.env },
    nodeArgs,
  );
  await waitForOk(`http://127.0.0.1:${port}/health/ready`, {
    timeoutMs: 60_000,
    child,
    intervalMs: 10,
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    port,
    startupMs: Math.round(performance.now() - started),
  };
}
