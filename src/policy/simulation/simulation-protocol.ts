import type { Outcome } from '../policy.types';
import type { SimulationResult } from './simulation.types';

/** One past request as the main thread reads it and the worker evaluates it. */
export interface PastRequestRow {
  readonly reference: string;
  readonly pid: string;
  readonly amountOre: number;
  readonly outcome: Outcome;
  /** The recorded facts as JSON text: parsed in the worker, not on the request thread. */
  readonly facts: string;
}

/** What the worker is started with. */
export interface SimulationWorkerData {
  readonly activeText: string;
  readonly draftText: string;
}

export type ToWorker =
  { readonly type: 'batch'; readonly rows: readonly PastRequestRow[] } | { readonly type: 'end' };

export type FromWorker =
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'result'; readonly result: SimulationResult }
  | { readonly type: 'error'; readonly message: string };
