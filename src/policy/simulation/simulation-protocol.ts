import type { Outcome } from '../policy.types';
import type { SimulationResult } from './simulation.types';

/** One past request as the worker evaluates it. */
export interface PastRequestRow {
  readonly reference: string;
  readonly pid: string;
  readonly amountOre: number;
  readonly outcome: Outcome;
  /** The facts recorded at the decision, as stored. */
  readonly facts: unknown;
}

/**
 * A batch as the database builds it: one JSON array of `[reference, pid, amountOre, outcome,
 * facts]`, so the request thread receives and forwards one string instead of parsing rows.
 */
export type PastRequestTuple = [string, string, number, Outcome, unknown];

/** What the worker is started with. */
export interface SimulationWorkerData {
  readonly activeText: string;
  readonly draftText: string;
}

export type ToWorker = { readonly type: 'batch'; readonly json: string } | { readonly type: 'end' };

export type FromWorker =
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'result'; readonly result: SimulationResult }
  | { readonly type: 'error'; readonly message: string };

export function rowsOf(json: string): PastRequestRow[] {
  return (JSON.parse(json) as PastRequestTuple[]).map(
    ([reference, pid, amountOre, outcome, facts]) => ({
      reference,
      pid,
      amountOre: Number(amountOre),
      outcome,
      facts,
    }),
  );
}
