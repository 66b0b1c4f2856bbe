/**
 * `npm run bench`: builds nothing itself (the npm script compiles bench/ and a snapshot of the
 * portal into bench/.out), then creates a fresh PostgreSQL database, loads a realistic data set,
 * starts what each scenario needs as child processes (the test ID-porten on https, the portal in
 * production mode, the baselines, the finance-system server), measures, and writes
 * bench/results/latest.json and latest.md. Every child is stopped and the database dropped at the
 * end, on failure and on Ctrl-C too.
 *
 * BENCH_DATABASE_URL (or DATABASE_URL): a PostgreSQL server URL. BENCH_SCENARIOS=decision,policy
 * runs a subset; BENCH_DURATION_S sets each measured run's length. See bench/README.md for more.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadavg } from 'node:os';
import { DEFAULT_POLICY_FILE } from '../src/policy/loading/policy-paths';
import { PolicyRegistry } from '../src/policy/engine/policy-registry';
import { loadDataset } from './data/load';
import type { BenchContext } from './lib/context';
import { profilesIn, summarizeProfile } from './lib/cpu-profile';
import { createBenchDatabase, DatabaseUnavailableError } from './lib/database';
import { restartPortal, stopPortal } from './lib/lifecycle';
import { loginResidents } from './lib/login';
import { machine } from './lib/machine';
import {
  isOptionError,
  needsDatabase,
  readOptions,
  SCENARIOS,
  type BenchOptions,
} from './lib/options';
import { freePort, PRODUCTION_ENV, portalNodeArgs } from './lib/portal';
import {
  OUT_DIR,
  PROJECT_ROOT,
  runNode,
  RssSampler,
  startNode,
  stopAll,
  type Child,
} from './lib/processes';
import { terminalReport, writeReport, type BenchReport } from './lib/report';
import { fmt, scenario, type ScenarioResult } from './lib/results';
import { makeLocalhostCert, type SelfSignedCert } from './lib/tls-cert';
import { auditScenario } from './scenarios/audit';
import { decisionScenario } from './scenarios/decision';
import { exportScenario } from './scenarios/export';
import { invoiceListScenario } from './scenarios/invoice-list';
import { overviewScenario } from './scenarios/overview';
import { policyScenario } from './scenarios/policy';
import { simulationScenario } from './scenarios/simulation';
import { collectStartups, startupScenario } from './scenarios/startup';
import { writebackScenario } from './scenarios/writeback';

const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');
const started = performance.now();
const log = (line: string) =>
  process.stdout.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`,
  );

let cleanup: (() => Promise<void>) | undefined;
let interrupted = false;

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write(
    `\n${signal}: stopping every child process and dropping the bench database…\n`,
  );
  await cleanup?.().catch(() => undefined);
  process.exit(130);
}
process.on('SIGINT', (s) => void onSignal(s));
process.on('SIGTERM', (s) => void onSignal(s));

async function startIdporten(
  cert: SelfSignedCert,
  portalRedirects: string[],
  secret: string,
): Promise<{ child: Child; issuer: string }> {
  const port = await freePort();
  const child = startNode('test-idporten', 'bench/servers/idporten-https.js', {
    PORT: String(port),
    TLS_CERT_FILE: cert.certFile,
    TLS_KEY_FILE: cert.keyFile,
    CLIENT_ID: 'minside-faktura-bench',
    CLIENT_SECRET: secret,
    REDIRECT_URIS: portalRedirects.join(','),
    NODE_ENV: 'development',
  });
  await child.waitForLine(/test ID-porten ready/, 30_000);
  return { child, issuer: `https://localhost:${port}` };
}

/** Runs one scenario; an exception becomes that scenario's error, and the run goes on. */
async function attempt(
  id: string,
  title: string,
  work: () => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  log(`— ${id} —`);
  try {
    return await work();
  } catch (error) {
    const failed = scenario(id, title, '');
    failed.error = (error as Error).message;
    failed.pass = false;
    log(`${id} failed: ${failed.error.split('\n')[0]}`);
    return failed;
  }
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const registry = new PolicyRegistry();
  const loaded = registry.replace(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
  if (!loaded.ok) throw new Error('rules/default.policy.json does not load');
  const ctx: BenchContext = {
    options,
    registry,
    sessionSecret: randomBytes(36).toString('base64url'),
    sessions: [],
    financePort: 0,
    portalPort: 0,
    rss: new RssSampler(),
    startups: [],
    memory: [],
    log,
  };
  if (options.cpuProfile) {
    ctx.cpuProfileDir = join(
      RESULTS_DIR,
      'profiles',
      new Date().toISOString().replace(/[:.]/g, '-'),
    );
  }
  const scenarios: ScenarioResult[] = [];
  const want = options.scenarios;
  let cert: SelfSignedCert | undefined;
  const report: BenchReport = {
    date: new Date().toISOString(),
    command: `BENCH_SCENARIOS=${[...want].join(',')} BENCH_DURATION_S=${options.durationS} npm run bench`,
    totalSeconds: 0,
    machine: machine(null),
    settings: {
      ...options,
      scenarios: [...want],
      serverUrl: options.serverUrl ? new URL(options.serverUrl).host : null,
      portalNodeArgs: portalNodeArgs(),
      portalProductionEnv: PRODUCTION_ENV,
      portalEnv: process.env.BENCH_PORTAL_ENV?.trim() ?? '',
    },
    dataset: {},
    scenarios,
  };
  cleanup = async () => {
    await stopAll();
    await ctx.db
      ?.drop()
      .catch((error: unknown) =>
        log(`could not drop ${ctx.db?.name}: ${(error as Error).message}`),
      );
    cert?.remove();
  };

  try {
    if (want.has('policy'))
      scenarios.push(await attempt('policy', 'Policy evaluation', () => policyScenario(ctx)));
    if (!needsDatabase(options)) return report;

    ctx.db = await createBenchDatabase(options.serverUrl as string);
    report.machine.postgresql = ctx.db.serverVersion.split(' on ')[0];
    log(`database ${ctx.db.name} created; migrating`);
    const sessionSecret = ctx.sessionSecret;
    await runNode('migrate', 'src/migrate.cli.js', {
      DATABASE_URL: ctx.db.url,
      NODE_ENV: 'production',
      SESSION_SECRET: sessionSecret,
    });
    ctx.financePort = await freePort();

    log('loading data');
    const http = ['decision', 'list', 'writeback', 'startup', 'simulation'].some((s) =>
      want.has(s as never),
    );
    const dataset = await loadDataset(
      {
        url: ctx.db.url,
        residents: options.residents,
        invoices: options.invoices,
        pastRequests: options.pastRequests,
        // The audit and export scenarios both read the full chain.
        auditEntries: want.has('audit') || want.has('export') ? options.auditEntries : 0,
        writebackJobs: Math.min(options.writebackJobs, options.residents),
        financeBaseUrl: `http://127.0.0.1:${ctx.financePort}`,
        registry,
        log,
      },
      { history: true, drain: want.has('writeback') },
    );
    ctx.dataset = dataset;
    log(
      `ledger loaded: ${JSON.stringify(dataset.counts)}; past decisions and the audit chain load while residents log in`,
    );

    try {
      if (http) {
        cert = makeLocalhostCert();
        const clientSecret = randomBytes(24).toString('base64url');
        // The portal keeps one port for the run; its redirect URI is its public https address there.
        ctx.portalPort = await freePort();
        const idp = await startIdporten(
          cert,
          [`https://127.0.0.1:${ctx.portalPort}/auth/callback`],
          clientSecret,
        );
        ctx.portalSettings = {
          databaseUrl: ctx.db.url,
          sessionSecret,
          oidcIssuer: idp.issuer,
          oidcClientId: 'minside-faktura-bench',
          oidcClientSecret: clientSecret,
          caFile: cert.certFile,
          financeApiKey: randomBytes(24).toString('base64url'),
        };
        // Started while data still loads: its start-up time is not one of the samples.
        await restartPortal(ctx, 'portal-login', { sample: false });
      }
      if (want.has('decision') || want.has('list') || want.has('simulation')) {
        const pids = dataset.residents
          .slice(0, Math.min(options.logins, dataset.residents.length))
          .map((r) => r.pid);
        log(`logging in ${pids.length} residents through the test ID-porten`);
        const t = performance.now();
        ctx.sessions = await loginResidents(ctx.portal!.url, pids, 12, (n) =>
          log(n < 0 ? `  ${-n} logins needed a second try` : `  ${n} logged in`),
        );
        const loginS = (performance.now() - t) / 1000;
        report.dataset = {
          loggedIn: ctx.sessions.length,
          loginSeconds: Number(loginS.toFixed(1)),
          loginsPerSecond: Number((ctx.sessions.length / loginS).toFixed(1)),
        };
        log(
          `${ctx.sessions.length} residents logged in (${fmt(ctx.sessions.length / loginS, 1)}/s, while data loaded)`,
        );
      }
    } finally {
      await dataset.history;
    }
    report.dataset = {
      ...dataset.counts,
      auditPayloadBytes: dataset.auditPayloadBytes,
      loadSeconds: dataset.seconds,
      ...report.dataset,
    };
    log(`data loaded: ${JSON.stringify(dataset.counts)} in ${JSON.stringify(dataset.seconds)} s`);

    if (want.has('decision'))
      scenarios.push(await attempt('decision', 'Decision', () => decisionScenario(ctx)));
    if (want.has('list'))
      scenarios.push(await attempt('list', 'Invoice list', () => invoiceListScenario(ctx)));
    if (want.has('simulation'))
      scenarios.push(
        await attempt('simulation', 'Policy simulation', () => simulationScenario(ctx)),
      );
    if (want.has('writeback'))
      scenarios.push(await attempt('writeback', 'Write-back drain', () => writebackScenario(ctx)));
    if (want.has('overview'))
      scenarios.push(await attempt('overview', 'Dashboard', () => overviewScenario(ctx)));
    if (want.has('startup')) {
      await collectStartups(ctx, 5).catch((error: unknown) =>
        log(`start-up samples: ${(error as Error).message}`),
      );
    }
    await stopPortal(ctx);
    if (want.has('audit'))
      scenarios.push(await attempt('audit', 'Audit verification', () => auditScenario(ctx)));
    if (want.has('export'))
      scenarios.push(await attempt('export', 'Audit export', () => exportScenario(ctx)));
    if (want.has('startup')) scenarios.push(startupScenario(ctx));
  } finally {
    await stopAll();
    if (ctx.cpuProfileDir) {
      report.profiles = {};
      for (const file of profilesIn(ctx.cpuProfileDir)) {
        // Leave out start-up and warm-up: the measured runs are what the profile is for.
        const startup = ctx.startups.find((s) => basename(file).startsWith(`${s.label}-`));
        const summary = summarizeProfile(file, PROJECT_ROOT, 15, (startup?.ms ?? 3000) + 3000);
        report.profiles[basename(file, '.cpuprofile')] = summary.functions;
        report.profiles[`${basename(file, '.cpuprofile')} (by area)`] = summary.byArea;
      }
    }
    if (ctx.db && options.keepDatabase) {
      writeFileSync(
        join(OUT_DIR, 'last-run.json'),
        JSON.stringify(
          {
            databaseUrl: ctx.db.url,
            portalSettings: ctx.portalSettings,
            mainId: ctx.dataset?.mainId,
            sessions: ctx.sessions.slice(0, 2000),
          },
          null,
          1,
        ),
      );
      log(`BENCH_KEEP_DB=1: kept ${ctx.db.url}; sessions and settings in bench/.out/last-run.json`);
    } else {
      await ctx.db
        ?.drop()
        .catch((error: unknown) =>
          log(`could not drop ${ctx.db?.name}: ${(error as Error).message}`),
        );
      if (ctx.db) log(`database ${ctx.db.name} dropped`);
      cert?.remove();
    }
  }
  return report;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = readOptions();
  } catch (error) {
    if (isOptionError(error)) {
      process.stderr.write(`bench: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (needsDatabase(options) && !options.serverUrl) {
    process.stderr.write(
      'bench: set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/postgres\n',
    );
    process.exit(2);
  }
  let report: BenchReport;
  try {
    report = await run(options);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      process.stderr.write(`bench: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
  report.totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  report.machine.loadAverageAtEnd = Number(loadavg()[0].toFixed(2));
  // A subset writes latest-<scenarios>.*, so it never replaces the results of a full run.
  const name =
    options.scenarios.size === SCENARIOS.length
      ? 'latest'
      : `latest-${[...options.scenarios].join('-')}`;
  writeReport(RESULTS_DIR, name, report);
  process.stdout.write(
    `\n${terminalReport(report)}\n\nwritten: bench/results/${name}.json and ${name}.md\n`,
  );
  const failed = report.scenarios.some((s) => s.pass === false);
  process.exitCode = failed ? 1 : 0;
}

void main();
