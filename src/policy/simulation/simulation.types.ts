import type { IsoDate } from '../../shared/calendar-date';
import type { Decision } from '../engine/decision';
import type { DeferralFacts } from '../engine/facts';
import type { Outcome, PolicyError } from '../policy.types';

/** Requests whose request date (Oslo) lies in [from, to], both inclusive; either end may be open. */
export interface SimulationPeriod {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

export type OutcomeCounts = Record<Outcome, number>;

/** One version's decisions over the simulated requests. */
export interface VersionSummary {
  readonly outcomes: Readonly<OutcomeCounts>;
  /** approved + rejected: decided without a person. */
  readonly automatic: number;
  /** automatic / evaluated, 0–1; null when there was nothing to evaluate. */
  readonly automaticShare: number | null;
  /** øre: the sum of the invoice amounts this version approves. */
  readonly approvedAmountOre: number;
}

/** A past request whose outcome under the draft differs from its outcome under the active version. */
export interface ChangedCase {
  readonly reference: string;
  /** The Oslo date the decision was made for (its facts' `today`). */
  readonly requestedOn: IsoDate;
  /** øre still owed when asked. */
  readonly amountOre: number;
  /** What the resident was told at the time (possibly by an older version). */
  readonly recordedOutcome: Outcome;
  readonly activeOutcome: Outcome;
  readonly draftOutcome: Outcome;
}

export interface OutcomeTransition {
  readonly from: Outcome;
  readonly to: Outcome;
  readonly count: number;
  readonly amountOre: number;
}

/**
 * The draft against the active version, both re-evaluated on the facts recorded at each past
 * decision. (Not against the recorded outcomes: those may come from older versions, and the
 * question is what publishing the draft would change.)
 */
export interface SimulationResult {
  /** Past requests of the municipality in the period. */
  readonly total: number;
  /** Those both versions decided (total minus `unevaluable.count`). */
  readonly evaluated: number;
  readonly active: VersionSummary;
  readonly draft: VersionSummary;
  readonly changed: {
    readonly count: number;
    /** øre: the sum of the invoice amounts of the changed cases. */
    readonly amountOre: number;
    /** Distinct residents among the changed cases. */
    readonly residents: number;
    /** Each non-empty (active outcome → draft outcome) pair, most cases first. */
    readonly transitions: readonly OutcomeTransition[];
    /** The newest CHANGED_KEPT changed cases, newest request first (then by reference); `count` has them all. */
    readonly cases: readonly ChangedCase[];
  };
  /** Requests whose recorded facts no longer pass the fact check (e.g. written by an older schema). */
  readonly unevaluable: {
    readonly count: number;
    /** The first UNEVALUABLE_KEPT of them. */
    readonly cases: readonly { readonly reference: string; readonly problem: string }[];
  };
}

/** Which texts a simulation compared. */
export interface SimulationVersions {
  readonly active: {
    readonly versionId: string;
    readonly policyId: string;
    readonly version: string;
    readonly hash: string;
  };
  readonly draft: { readonly policyId: string; readonly version: string; readonly hash: string };
}

export interface SimulationJobInfo {
  readonly id: string;
  readonly municipalityId: string;
  readonly period: SimulationPeriod;
  readonly versions: SimulationVersions;
  readonly startedAt: Date;
}

/** A simulation as a page polls it. `total` is known once the requests were counted. */
export type SimulationStatus =
  | (SimulationJobInfo & {
      readonly state: 'running';
      readonly done: number;
      readonly total: number | null;
    })
  | (SimulationJobInfo & {
      readonly state: 'done';
      readonly done: number;
      readonly total: number;
      readonly result: SimulationResult;
      readonly finishedAt: Date;
      readonly durationMs: number;
    })
  | (SimulationJobInfo & {
      readonly state: 'failed';
      /** One line for the officer's page and the log; never personal data. */
      readonly error: string;
      readonly finishedAt: Date;
    });

export type StartSimulationResult =
  | {
      readonly ok: true;
      readonly job: SimulationStatus;
      /** true when the municipality already had one running: that one is returned, nothing started. */
      readonly alreadyRunning: boolean;
    }
  | { readonly ok: false; readonly refused: 'draft'; readonly errors: readonly PolicyError[] }
  | { readonly ok: false; readonly refused: 'period'; readonly problem: string };

/** One case under both versions, side by side. */
export type TryPolicyResult =
  | {
      readonly ok: true;
      /** The facts as evaluated (checked copy). */
      readonly facts: DeferralFacts;
      readonly active: Decision;
      readonly draft: Decision;
      readonly outcomeChanged: boolean;
    }
  | {
      readonly ok: false;
      readonly refused: 'draft' | 'active';
      readonly errors: readonly PolicyError[];
    }
  | { readonly ok: false; readonly refused: 'facts'; readonly problems: readonly string[] };
