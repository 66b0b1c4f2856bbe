import type { LoadRun } from './loadgen';

export interface Target {
  /** e.g. "≥ 1,000 decisions/s" */
  text: string;
  /** null: not measured (the scenario failed or did not run). */
  pass: boolean | null;
  measured?: string;
}

/** One scenario's outcome, as latest.json holds it. */
export interface ScenarioResult {
  id: string;
  title: string;
  unit: string;
  portal: number | null;
  baseline: number | null;
  /** portal / baseline, when there is a baseline. */
  ratio: number | null;
  targets: Target[];
  pass: boolean | null;
  runs: number;
  /**
   * CPU milliseconds per request (decision, page) of the server under test (node) and of the bench
   * database's PostgreSQL backends, in the max-rate run each side's figure comes from.
   */
  cpuMsPerRequest?: {
    portal?: { server: number; postgres?: number };
    baseline?: { server: number; postgres?: number };
  };
  /** The load runs (autocannon) behind the figures, portal and baseline. */
  load?: { portal: LoadRun[]; baseline: LoadRun[] };
  details: Record<string, unknown>;
  notes: string[];
  error?: string;
}

export function scenario(id: string, title: string, unit: string): ScenarioResult {
  return {
    id,
    title,
    unit,
    portal: null,
    baseline: null,
    ratio: null,
    targets: [],
    pass: null,
    runs: 1,
    details: {},
    notes: [],
  };
}

export function ratio(portal: number | null, baseline: number | null): number | null {
  return portal !== null && baseline ? Number((portal / baseline).toFixed(3)) : null;
}

/** Pass only when every target was measured and met. */
export function settle(result: ScenarioResult): ScenarioResult {
  if (result.error) result.pass = false;
  else if (result.targets.some((t) => t.pass === false)) result.pass = false;
  else if (result.targets.length > 0 && result.targets.every((t) => t.pass === true))
    result.pass = true;
  else result.pass = null;
  return result;
}

export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
