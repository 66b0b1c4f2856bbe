import type { OsloWeek } from '../../shared/oslo-weeks';

/**
 * What became of requests: decided by the policy (no `decidedBy`), decided by an officer, or not
 * decided for good yet (waiting for an officer or the resident, or taken).
 */
export const OUTCOME_KINDS = [
  'approvedAutomatically',
  'rejectedAutomatically',
  'approvedByOfficer',
  'rejectedByOfficer',
  'open',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export type OutcomeCounts = Record<OutcomeKind, number>;

/** Open cases by whole days since they came to a person: 0–2, 3–7, 8–14, 15–30, over 30. */
export const AGE_BANDS = [
  { key: 'days0to2', fromDays: 0 },
  { key: 'days3to7', fromDays: 3 },
  { key: 'days8to14', fromDays: 8 },
  { key: 'days15to30', fromDays: 15 },
  { key: 'over30', fromDays: 31 },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['key'];
export type OpenCasesByAge = Record<AgeBand, number>;

export interface CaseFigures {
  /** Per week of the report, in its order. */
  weeks: OutcomeCounts[];
  totals: OutcomeCounts;
  /** Requests made in the period. */
  requests: number;
  /** Of those, decided by the policy with no person involved (hours saved count these). */
  decidedAutomatically: number;
  /** Open now, whenever they were made. */
  openByAge: OpenCasesByAge;
}

export interface MunicipalityCaseFigures extends CaseFigures {
  municipalityId: string;
}

export interface CaseStatisticsReport {
  weeks: OsloWeek[];
  /** In the order the ids were asked for. */
  municipalities: MunicipalityCaseFigures[];
  /** All of them together. */
  combined: CaseFigures;
  /**
   * From coming to a person to an officer's decision, for requests made in the period that an
   * officer decided; null when there are none.
   */
  timeToDecision: { decisions: number; medianMs: number | null; p90Ms: number | null };
}

export function noOutcomes(): OutcomeCounts {
  return {
    approvedAutomatically: 0,
    rejectedAutomatically: 0,
    approvedByOfficer: 0,
    rejectedByOfficer: 0,
    open: 0,
  };
}

export function noOpenCases(): OpenCasesByAge {
  return { days0to2: 0, days3to7: 0, days8to14: 0, days15to30: 0, over30: 0 };
}

export function addOutcomes(into: OutcomeCounts, more: OutcomeCounts): OutcomeCounts {
  for (const kind of OUTCOME_KINDS) into[kind] += more[kind];
  return into;
}
