import type { IsoDate } from '../../shared/calendar-date';
import type { Outcome } from '../policy.types';
import type {
  ChangedCase,
  OutcomeCounts,
  OutcomeTransition,
  SimulationResult,
  VersionSummary,
} from './simulation.types';

/** How many unevaluable requests a result names; the count covers all of them. */
export const UNEVALUABLE_KEPT = 100;

/** What the tally needs of one past request besides the two outcomes. */
export interface TalliedRequest {
  readonly reference: string;
  /** Only to count distinct residents; never leaves the tally. */
  readonly pid: string;
  readonly amountOre: number;
  readonly recordedOutcome: Outcome;
  readonly requestedOn: IsoDate;
}

class VersionCounter {
  readonly outcomes: OutcomeCounts = { approved: 0, rejected: 0, manual_review: 0 };
  approvedAmountOre = 0;

  add(outcome: Outcome, amountOre: number): void {
    this.outcomes[outcome]++;
    if (outcome === 'approved') this.approvedAmountOre += amountOre;
  }

  summary(evaluated: number): VersionSummary {
    const automatic = this.outcomes.approved + this.outcomes.rejected;
    return {
      outcomes: { ...this.outcomes },
      automatic,
      automaticShare: evaluated === 0 ? null : automatic / evaluated,
      approvedAmountOre: this.approvedAmountOre,
    };
  }
}

/**
 * The comparison of a simulation, built one request at a time so the requests themselves need not
 * be kept: counts per version, and the changed cases (a few numbers and strings each).
 */
export class SimulationTally {
  private readonly active = new VersionCounter();
  private readonly draft = new VersionCounter();
  private readonly changed: ChangedCase[] = [];
  private readonly changedResidents = new Set<string>();
  private readonly transitions = new Map<string, OutcomeTransition>();
  private changedAmountOre = 0;
  private evaluated = 0;
  private unevaluableCount = 0;
  private readonly unevaluable: { reference: string; problem: string }[] = [];

  add(request: TalliedRequest, activeOutcome: Outcome, draftOutcome: Outcome): void {
    this.evaluated++;
    this.active.add(activeOutcome, request.amountOre);
    this.draft.add(draftOutcome, request.amountOre);
    if (activeOutcome === draftOutcome) return;
    this.changed.push({
      reference: request.reference,
      requestedOn: request.requestedOn,
      amountOre: request.amountOre,
      recordedOutcome: request.recordedOutcome,
      activeOutcome,
      draftOutcome,
    });
    this.changedResidents.add(request.pid);
    this.changedAmountOre += request.amountOre;
    const key = `${activeOutcome}>${draftOutcome}`;
    const known = this.transitions.get(key);
    this.transitions.set(key, {
      from: activeOutcome,
      to: draftOutcome,
      count: (known?.count ?? 0) + 1,
      amountOre: (known?.amountOre ?? 0) + request.amountOre,
    });
  }

  addUnevaluable(reference: string, problem: string): void {
    this.unevaluableCount++;
    if (this.unevaluable.length < UNEVALUABLE_KEPT) this.unevaluable.push({ reference, problem });
  }

  get done(): number {
    return this.evaluated + this.unevaluableCount;
  }

  result(): SimulationResult {
    const cases = [...this.changed].sort(
      (a, b) =>
        (a.requestedOn < b.requestedOn ? 1 : a.requestedOn > b.requestedOn ? -1 : 0) ||
        (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
    );
    const transitions = [...this.transitions.values()].sort(
      (a, b) => b.count - a.count || b.amountOre - a.amountOre,
    );
    return {
      total: this.done,
      evaluated: this.evaluated,
      active: this.active.summary(this.evaluated),
      draft: this.draft.summary(this.evaluated),
      changed: {
        count: this.changed.length,
        amountOre: this.changedAmountOre,
        residents: this.changedResidents.size,
        transitions,
        cases,
      },
      unevaluable: { count: this.unevaluableCount, cases: [...this.unevaluable] },
    };
  }
}
