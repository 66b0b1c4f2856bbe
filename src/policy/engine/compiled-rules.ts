import type { ConditionTrace, RuleTrace } from './decision';
import type { FactName } from './facts';
import type { Operator, ParameterValue, Policy } from '../policy.types';

/**
 * The fast path: a policy's rule JSON turned into plain functions that compute the same trace
 * json-rules-engine's run gives (decision-trace.ts), synchronously and with no per-run engine state.
 *
 * Why it exists: json-rules-engine 7 spends ~100 µs+ per run on work our decisions never use —
 * a deep `clone` of every rule's condition tree and event per run (RuleResult), a Promise and an
 * event emission per condition and rule, an Almanac with hashed fact caches — which capped the
 * default policy at a few thousand evaluations/s, far below the 20,000/s per core we need.
 * The engine stays the engine of record: it is built for every policy (its constructors check the
 * rules), `evaluateWithEngine` runs it, and compiled-rules.property.spec.ts runs thousands of random
 * facts, and random valid policies, through both and requires identical Decisions, traces included.
 *
 * What it models, exactly as json-rules-engine 7.3.1 does for what our schema allows:
 * - every rule is evaluated (nothing calls `stop()`), results listed in policy-file order;
 * - within all/any every condition is evaluated: the engine only short-circuits between condition
 *   priority groups, and our conditions carry no priorities, so each list is one group;
 * - all → every child true, any → some child true, a list of one → that child's result, an empty
 *   list → true, not → the negation;
 * - `{ fact: 'parameters', path: '$.name' }` reads the parameter (constant per policy), `{ fact }`
 *   reads another fact, a boolean is compared as is; a fact that is not there is an error;
 * - the operators are the engine's default ones, restated below with their fact-value validators.
 * Anything else (condition references, decorated operators, priorities on conditions, other paths)
 * raises UnsupportedRuleError at compile time and the policy is evaluated by the engine instead.
 */
export type RuleTracer = (facts: Facts) => RuleTrace[];

/** Facts by name; an object (such as DeferralFacts) whose properties are the facts. */
export type Facts = object;

export class UnsupportedRuleError extends Error {
  override readonly name = 'UnsupportedRuleError';
}

type OperatorFunction = (factValue: unknown, compareTo: unknown) => boolean;
type Node = (facts: Facts) => ConditionTrace;

/** json-rules-engine's `numberValidator`: `Number.parseFloat(factValue).toString() !== 'NaN'`. */
function numberLike(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  return Number.parseFloat(value as string).toString() !== 'NaN';
}

type Indexable = { indexOf(item: unknown): number };

/** json-rules-engine 7.3.1 dist/engine-default-operators.js: validator, then comparison. */
export const ENGINE_OPERATORS: Readonly<Record<Operator, OperatorFunction>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as Indexable).indexOf(a) > -1,
  notIn: (a, b) => (b as Indexable).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => numberLike(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => numberLike(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => numberLike(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => numberLike(a) && (a as number) >= (b as number),
};

/** Our `$.name` paths, read as jsonpath-plus reads them: an own property, else undefined. */
const PARAMETER_PATH = /^\$\.([a-z][A-Za-z0-9]*)$/;

/**
 * The engine's `pathResolver` too, in place of jsonpath-plus (which parsed the path on every read
 * and was a tenth of each run). The schema allows only `$.name`; any other path is an error.
 */
export function resolveParameterPath(value: object, path: string): unknown {
  const match = PARAMETER_PATH.exec(path);
  if (!match) throw new UnsupportedRuleError(`Unsupported parameter path ${JSON.stringify(path)}`);
  return Object.hasOwn(value, match[1]) ? (value as Record<string, unknown>)[match[1]] : undefined;
}

export function compileRules(
  policy: Policy,
  parameterValues: Readonly<Record<string, ParameterValue>>,
): RuleTracer {
  const rules = policy.rules.map((rule, index) => {
    const at = `/rules/${index}`;
    only(rule, ['name', 'description', 'priority', 'conditions', 'event'], at);
    const root = booleanNode(rule.conditions, parameterValues, `${at}/conditions`);
    const { name, priority } = rule;
    const eventType = rule.event.type;
    const reason = rule.event.params.reason;
    return (facts: Facts): RuleTrace => {
      const { result, conditions, kind } = root(facts);
      const fired = result === true;
      return {
        name,
        priority,
        eventType,
        reason,
        fired,
        conditions: { kind, result: fired, conditions },
      };
    };
  });
  return (facts) => {
    const trace = new Array<RuleTrace>(rules.length);
    for (let i = 0; i < rules.length; i++) trace[i] = rules[i](facts);
    return trace;
  };
}

type BooleanTrace = Extract<ConditionTrace, { kind: 'all' | 'any' | 'not' }>;
type BooleanNode = (facts: Facts) => BooleanTrace;

function booleanNode(
  condition: unknown,
  parameters: Readonly<Record<string, ParameterValue>>,
  at: string,
): BooleanNode {
  const c = condition as Record<string, unknown>;
  if (Object.hasOwn(c, 'all') || Object.hasOwn(c, 'any')) {
    // The engine checks `any` before `all`.
    const kind = Object.hasOwn(c, 'any') ? 'any' : 'all';
    only(c, [kind], at);
    const list = c[kind];
    if (!Array.isArray(list)) throw new UnsupportedRuleError(`${at}/${kind} is not a list`);
    const children: Node[] = list.map((child, i) => node(child, parameters, `${at}/${kind}/${i}`));
    const count = children.length;
    return (facts) => {
      const conditions = new Array<ConditionTrace>(count);
      let trues = 0;
      for (let i = 0; i < count; i++) {
        const trace = children[i](facts);
        conditions[i] = trace;
        if (trace.result === true) trues++;
      }
      const result = count === 0 ? true : kind === 'all' ? trues === count : trues > 0;
      return { kind, result, conditions };
    };
  }
  if (Object.hasOwn(c, 'not')) {
    only(c, ['not'], at);
    if (Array.isArray(c.not)) throw new UnsupportedRuleError(`${at}/not is a list`);
    const child = node(c.not, parameters, `${at}/not`);
    return (facts) => {
      const trace = child(facts);
      return { kind: 'not', result: !(trace.result === true), conditions: [trace] };
    };
  }
  throw new UnsupportedRuleError(`${at} is not an all, any or not condition`);
}

function node(
  condition: unknown,
  parameters: Readonly<Record<string, ParameterValue>>,
  at: string,
): Node {
  if (typeof condition !== 'object' || condition === null)
    throw new UnsupportedRuleError(`${at} is not a condition`);
  const c = condition as Record<string, unknown>;
  if (Object.hasOwn(c, 'all') || Object.hasOwn(c, 'any') || Object.hasOwn(c, 'not'))
    return booleanNode(c, parameters, at);
  only(c, ['fact', 'operator', 'value'], at);
  if (typeof c.fact !== 'string' || c.fact === 'parameters')
    throw new UnsupportedRuleError(`${at}/fact is not a fact the rules may test`);
  const fact = c.fact as FactName;
  const operator = c.operator as Operator;
  if (typeof operator !== 'string' || !Object.hasOwn(ENGINE_OPERATORS, operator))
    throw new UnsupportedRuleError(`${at}/operator ${String(operator)} is not modelled`);
  const compare = ENGINE_OPERATORS[operator];
  const value = c.value;

  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact')) {
    const reference = value as { fact: unknown; path?: unknown };
    if (reference.fact === 'parameters') {
      only(reference, ['fact', 'path'], `${at}/value`);
      if (typeof reference.path !== 'string' || reference.path === '')
        throw new UnsupportedRuleError(`${at}/value has no parameter path`);
      const compareTo = resolveParameterPath(parameters, reference.path);
      const parameter = reference.path.slice(2);
      const copyEach = Array.isArray(compareTo);
      return (facts) => {
        const factValue = read(facts, fact);
        return {
          kind: 'fact',
          fact,
          operator,
          factValue: jsonValue(factValue),
          compareTo: copyEach ? [...(compareTo as unknown[])] : (compareTo ?? null),
          parameter,
          result: compare(factValue, compareTo),
        };
      };
    }
    only(reference, ['fact'], `${at}/value`);
    if (typeof reference.fact !== 'string')
      throw new UnsupportedRuleError(`${at}/value/fact is not a fact name`);
    const compareFact = reference.fact as FactName;
    return (facts) => {
      const compareTo = read(facts, compareFact);
      const factValue = read(facts, fact);
      return {
        kind: 'fact',
        fact,
        operator,
        factValue: jsonValue(factValue),
        compareTo: jsonValue(compareTo),
        compareFact,
        result: compare(factValue, compareTo),
      };
    };
  }
  if (typeof value === 'object' && value !== null)
    throw new UnsupportedRuleError(`${at}/value is an object that is not a fact reference`);
  return (facts) => {
    const factValue = read(facts, fact);
    return {
      kind: 'fact',
      fact,
      operator,
      factValue: jsonValue(factValue),
      compareTo: jsonValue(value),
      result: compare(factValue, value),
    };
  };
}

/** allowUndefinedFacts: false — the engine's UndefinedFactError message, for the same mistake. */
function read(facts: Facts, fact: string): unknown {
  if (!Object.hasOwn(facts, fact)) throw new Error(`Undefined fact: ${fact}`);
  return (facts as Record<string, unknown>)[fact];
}

/** As decision-trace.ts: arrays copied, undefined as null. */
function jsonValue(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])] : (value ?? null);
}

function only(object: object, keys: readonly string[], at: string): void {
  for (const key of Object.keys(object))
    if (!keys.includes(key)) throw new UnsupportedRuleError(`${at}/${key} is not modelled`);
}
