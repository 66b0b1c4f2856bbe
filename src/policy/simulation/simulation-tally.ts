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

/**
 * How many changed cases a result lists (the newest); the count, sums and transitions cover all
 * of them. The officers' page shows this many. Keeping every one cost the request thread ~100 ms
 * per simulation (issue 18, `bench`): 12,307 changed cases were a 2 MB result that the thread
 * received, walked in MikroORM's update and stringified, and then collected as garbage, while
 * residents' pages waited behind it. Bounded here it also keeps the worker's memory flat.
 */
export const CHANGED_KEPT = 500;

/** What the tally needs of one past request besides the two outcomes. */
export interface TalliedRequest {
  readonly reference: string;
  /** Only to count distinct residents; never leaves the tally. */
  readonly pid: string;
  readonly amountOre: number;
  readonly recordedOutcome: Outcome;
  readonly requestedOn: IsoDate;
}

/** Newest request first, then by reference. */
function newestFirst(a: ChangedCase, b: ChangedCase): number {
  return (
    (a.requestedOn < b.requestedOn ? 1 : a.requestedOn > b.requestedOn ? -1 : 0) ||
    (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)
  );
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
  /** The newest changed cases: at least CHANGED_KEPT of them (if there are), pruned at twice that. */
  private changed: ChangedCase[] = [];
  private changedCount = 0;
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
    this.changedCount++;
    this.changed.push({
      reference: request.reference,
      requestedOn: request.requestedOn,
      amountOre: request.amountOre,
      recordedOutcome: request.recordedOutcome,
      activeOutcome,
      draftOutcome,
    });
    if (this.changed.length >= 2 * CHANGED_KEPT) this.changed = this.newestChanged();
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

  private newestChanged(): ChangedCase[] {
    return [...this.changed].sort(newestFirst).slice(0, CHANGED_KEPT);
  }

  addUnevaluable(reference: string, problem: string): void {
    this.unevaluableCount++;
    if (this.unevaluable.length < UNEVALUABLE_KEPT) this.unevaluable.push({ reference, problem });
  }

  get done(): number {
    return this.evaluated + this.unevaluableCount;
  }

  result(): SimulationResult {
    const cases = this.newestChanged();
    const transitions = [...this.transitions.values()].sort(
      (a, b) => b.count - a.count || b.amountOre - a.amountOre,
    );
    return {
      total: this.done,
      evaluated: this.evaluated,
      active: this.active.summary(this.evaluated),
      draft: this.draft.summary(this.evaluated),
      changed: {
        count: this.changedCount,
        amountOre: this.changedAmountOre,
        residents: this.changedResidents.size,
        transitions,
        cases,
      },
      unevaluable: { count: this.unevaluableCount, cases: [...this.unevaluable] },
    };
  }
}
