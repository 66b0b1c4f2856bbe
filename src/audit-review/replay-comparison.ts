import type { Outcome } from '../policy';

/** What a decision of the policy comes to, as recorded then or as given by a replay now. */
export interface PolicyVerdict {
  outcome: Outcome;
  newDueDate: string | null;
  /** The reasons' codes, in the order given. */
  reasonCodes: readonly string[];
  /** The names of the rules that fired, in policy-file order. */
  firedRules: readonly string[];
}

export type Difference =
  | { what: 'outcome'; recorded: Outcome; now: Outcome }
  | { what: 'newDueDate'; recorded: string | null; now: string | null }
  /** A reason given then and not now (`now` null), or now and not then (`recorded` null). */
  | { what: 'reason'; recorded: string | null; now: string | null }
  | { what: 'rule'; recorded: string | null; now: string | null }
  /** The same reasons or rules, in another order. */
  | { what: 'reasonOrder' | 'ruleOrder'; recorded: string; now: string };

/** Every way the replay differs from the record; empty when they are the same. */
export function compareVerdicts(recorded: PolicyVerdict, now: PolicyVerdict): Difference[] {
  const differences: Difference[] = [];
  if (recorded.outcome !== now.outcome)
    differences.push({ what: 'outcome', recorded: recorded.outcome, now: now.outcome });
  if (recorded.newDueDate !== now.newDueDate)
    differences.push({ what: 'newDueDate', recorded: recorded.newDueDate, now: now.newDueDate });
  differences.push(...listDifferences('reason', recorded.reasonCodes, now.reasonCodes));
  differences.push(...listDifferences('rule', recorded.firedRules, now.firedRules));
  return differences;
}

function listDifferences(
  what: 'reason' | 'rule',
  recorded: readonly string[],
  now: readonly string[],
): Difference[] {
  const differences: Difference[] = [
    ...recorded.filter((x) => !now.includes(x)).map((x) => ({ what, recorded: x, now: null })),
    ...now.filter((x) => !recorded.includes(x)).map((x) => ({ what, recorded: null, now: x })),
  ];
  if (differences.length === 0 && recorded.join('\n') !== now.join('\n'))
    differences.push({
      what: what === 'reason' ? 'reasonOrder' : 'ruleOrder',
      recorded: recorded.join(', '),
      now: now.join(', '),
    });
  return differences;
}
