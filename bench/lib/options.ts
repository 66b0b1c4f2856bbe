/** What `npm run bench` is asked to do, read once from the environment. */

export const SCENARIOS = [
  'policy',
  'decision',
  'list',
  'simulation',
  'writeback',
  'audit',
  'startup',
  'overview',
  'export',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** A PostgreSQL server URL; the bench database is created beside the database it names. */
  serverUrl: string | undefined;
  scenarios: ReadonlySet<Scenario>;
  /** Seconds per measured run (each max-rate and fixed-rate run). */
  durationS: number;
  /** Residents logged in through the test ID-porten before the HTTP scenarios. */
  logins: number;
  residents: number;
  invoices: number;
  pastRequests: number;
  auditEntries: number;
  writebackJobs: number;
  /** Turns each side of the decision and list scenarios gets (baseline and portal alternate). */
  rounds: number;
  /** Connections for max-rate runs. */
  connections: number;
  /** Start the measured portal with --cpu-prof (profiles in bench/results/profiles). */
  cpuProfile: boolean;
  /** Keep the bench database (and write bench/.out/last-run.json with what is needed to use it). */
  keepDatabase: boolean;
}

class OptionError extends Error {}

function int(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) {
    throw new OptionError(`${name} must be a whole number ≥ ${min}, got '${raw}'`);
  }
  return value;
}

function scenarios(): Set<Scenario> {
  const raw = process.env.BENCH_SCENARIOS?.trim();
  if (!raw || raw === 'all') return new Set(SCENARIOS);
  const chosen = new Set<Scenario>();
  for (const name of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const alias = name === 'invoices' || name === 'invoice-list' ? 'list' : name;
    if (!(SCENARIOS as readonly string[]).includes(alias)) {
      throw new OptionError(
        `BENCH_SCENARIOS: unknown scenario '${name}' (choose from ${SCENARIOS.join(', ')})`,
      );
    }
    chosen.add(alias as Scenario);
  }
  return chosen;
}

export function readOptions(): BenchOptions {
  return {
    serverUrl: process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined,
    scenarios: scenarios(),
    durationS: int('BENCH_DURATION_S', 10, 1),
    logins: int('BENCH_LOGINS', 5_000, 10),
    residents: int('BENCH_RESIDENTS', 10_000, 100),
    invoices: int('BENCH_INVOICES', 100_000, 1_000),
    pastRequests: int('BENCH_PAST_REQUESTS', 100_000, 0),
    auditEntries: int('BENCH_AUDIT_ENTRIES', 1_000_000, 1_000),
    writebackJobs: int('BENCH_WRITEBACK_JOBS', 10_000, 100),
    connections: int('BENCH_CONNECTIONS', 32, 1),
    rounds: int('BENCH_ROUNDS', 2, 1),
    cpuProfile: process.env.BENCH_CPU_PROF === '1' || process.env.BENCH_CPU_PROF === 'true',
    keepDatabase: process.env.BENCH_KEEP_DB === '1',
  };
}

export function isOptionError(error: unknown): error is Error {
  return error instanceof OptionError;
}

/** Scenarios that need the PostgreSQL server. */
export function needsDatabase(options: BenchOptions): boolean {
  return [...options.scenarios].some((s) => s !== 'policy');
}
