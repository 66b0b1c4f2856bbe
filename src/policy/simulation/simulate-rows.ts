import type { CompiledPolicy } from '../engine/compiled-policy';
import type { DeferralFacts } from '../engine/facts';
import { evaluate } from '../engine/policy-evaluator';
import { InvalidFactsError } from '../policy.errors';
import type { PastRequestRow } from './simulation-protocol';
import type { SimulationTally } from './simulation-tally';

/**
 * Re-evaluates each row's recorded facts under both versions (the `evaluate` residents' decisions
 * use, fact check included) and adds the outcomes to the tally. Facts that no longer pass the check
 * are counted as unevaluable; any other error is a bug and stops the simulation.
 */
export async function simulateRows(
  tally: SimulationTally,
  active: CompiledPolicy,
  draft: CompiledPolicy,
  rows: readonly PastRequestRow[],
): Promise<void> {
  for (const row of rows) {
    // Checked by `evaluate` (checkFacts) before anything is read from it.
    const facts = row.facts as DeferralFacts;
    try {
      const activeDecision = await evaluate(active, facts);
      const draftDecision = await evaluate(draft, facts);
      tally.add(
        {
          reference: row.reference,
          pid: row.pid,
          amountOre: row.amountOre,
          recordedOutcome: row.outcome,
          requestedOn: facts.today,
        },
        activeDecision.outcome,
        draftDecision.outcome,
      );
    } catch (error) {
      if (!(error instanceof InvalidFactsError)) throw error;
      tally.addUnevaluable(row.reference, error.problems.join('; '));
    }
  }
}
