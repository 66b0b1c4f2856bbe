import type { RuleResult } from 'json-rules-engine';
import type { ConditionTrace } from './decision';
import type { FactName } from './facts';
import type { Operator } from '../policy.types';

/** What json-rules-engine leaves on its (cloned) condition objects after a run. */
interface EvaluatedCondition {
  all?: EvaluatedCondition[];
  any?: EvaluatedCondition[];
  not?: EvaluatedCondition;
  fact?: FactName;
  operator?: Operator;
  value?: unknown;
  factResult?: unknown;
  valueResult?: unknown;
  result?: boolean;
}

/** The rule's condition tree with what each leaf saw; the root's result is whether the rule fired. */
export function traceConditions(ruleResult: RuleResult): ConditionTrace {
  const root = ruleResult.conditions as unknown as EvaluatedCondition;
  return { ...traceNode(root), result: ruleResult.result === true };
}

function traceNode(node: EvaluatedCondition): ConditionTrace {
  const result = typeof node.result === 'boolean' ? node.result : null;
  if (node.all) return { kind: 'all', result, conditions: node.all.map(traceNode) };
  if (node.any) return { kind: 'any', result, conditions: node.any.map(traceNode) };
  if (node.not) return { kind: 'not', result, conditions: [traceNode(node.not)] };
  const reference =
    typeof node.value === 'object' && node.value !== null
      ? (node.value as { fact: string; path?: string })
      : undefined;
  return {
    kind: 'fact',
    fact: node.fact as FactName,
    operator: node.operator as Operator,
    factValue: jsonValue(node.factResult),
    compareTo: jsonValue(reference ? node.valueResult : node.value),
    ...(reference?.fact === 'parameters' && reference.path
      ? { parameter: reference.path.slice(2) }
      : {}),
    ...(reference && reference.fact !== 'parameters'
      ? { compareFact: reference.fact as FactName }
      : {}),
    result,
  };
}

/** Copies arrays so a trace never shares (frozen) parameter arrays with the policy. */
function jsonValue(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])] : (value ?? null);
}
