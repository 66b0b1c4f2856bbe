import { FACT_UNITS, type FactName, type FactUnit } from '../engine/facts';
import type { Language, Operator, Policy } from '../policy.types';
import { formatParameterValue, formatNameList } from './format-values';
import {
  DATE_COMPARISONS,
  FACT_PHRASES,
  NUMBER_COMPARISONS,
  WORDS,
  type FactPhrase,
} from './policy-words';

/**
 * A rule's conditions, simplified without changing what they mean: a list of one is its item, an
 * all inside an all (any inside any) is merged into it, and a `not` is pushed down to the
 * comparisons (De Morgan; `not amount < limit` is `amount ≥ limit`), so only all/any nest.
 */
export type ConditionNode =
  | { readonly kind: 'leaf'; readonly condition: LeafCondition; readonly negated: boolean }
  | { readonly kind: 'all' | 'any'; readonly children: readonly ConditionNode[] };

/** A fact condition as written; fact and operator are strings so unknown ones still render. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}

/** The operator that holds exactly when this one does not, for the facts the schema allows. */
const COMPLEMENT: Readonly<Record<Operator, Operator>> = {
  equal: 'notEqual',
  notEqual: 'equal',
  in: 'notIn',
  notIn: 'in',
  contains: 'doesNotContain',
  doesNotContain: 'contains',
  lessThan: 'greaterThanInclusive',
  greaterThanInclusive: 'lessThan',
  lessThanInclusive: 'greaterThan',
  greaterThan: 'lessThanInclusive',
};

export function normalize(condition: unknown, negated = false): ConditionNode {
  const c = (condition ?? {}) as Record<string, unknown>;
  if (Array.isArray(c.all) || Array.isArray(c.any)) {
    // As json-rules-engine: `any` is read before `all`.
    const written = Array.isArray(c.any) ? 'any' : 'all';
    const kind = negated ? (written === 'any' ? 'all' : 'any') : written;
    const children: ConditionNode[] = [];
    for (const child of c[written] as unknown[]) {
      const node = normalize(child, negated);
      if (node.kind === kind) children.push(...node.children);
      else children.push(node);
    }
    return children.length === 1 ? children[0] : { kind, children };
  }
  if ('not' in c) return normalize(c.not, !negated);
  const leaf: LeafCondition = {
    fact: String(c.fact),
    operator: String(c.operator),
    value: c.value,
  };
  if (!negated) return { kind: 'leaf', condition: leaf, negated: false };
  const complement = Object.hasOwn(COMPLEMENT, leaf.operator)
    ? COMPLEMENT[leaf.operator as Operator]
    : undefined;
  return complement
    ? { kind: 'leaf', condition: { ...leaf, operator: complement }, negated: false }
    : { kind: 'leaf', condition: leaf, negated: true };
}

/** Whether the node reads as one sentence: a comparison, or one all/any of comparisons. */
export function isFlat(node: ConditionNode): boolean {
  return node.kind === 'leaf' || node.children.every((child) => child.kind === 'leaf');
}

/**
 * `sub`: inside a "når …" clause, where nb/nn put the negation before the verb ("fakturaen ikke er
 * i inkassoløpet"); `main`: a statement of its own, as in a bullet or table cell ("fakturaen er
 * ikke i inkassoløpet"). English reads the same either way.
 */
export type ClauseMode = 'sub' | 'main';

interface Clause {
  readonly subject: string;
  readonly verb: string;
  readonly rest: string;
  readonly negated: boolean;
}

export function leafText(
  policy: Policy,
  node: Extract<ConditionNode, { kind: 'leaf' }>,
  lang: Language,
  mode: ClauseMode,
): string {
  const clause = clauseOf(policy, node.condition, lang);
  if (!clause) {
    const plain = plainText(policy, node.condition, lang);
    return node.negated ? `${WORDS.not[lang]} (${plain})` : plain;
  }
  const negated = clause.negated !== node.negated;
  const parts = !negated
    ? [clause.subject, clause.verb, clause.rest]
    : mode === 'sub' && lang !== 'en'
      ? [clause.subject, WORDS.not[lang], clause.verb, clause.rest]
      : [clause.subject, clause.verb, WORDS.not[lang], clause.rest];
  return parts.filter((part) => part !== '').join(' ');
}

/** A clause for a known fact and operator, or undefined when only a plain rendering is safe. */
function clauseOf(policy: Policy, leaf: LeafCondition, lang: Language): Clause | undefined {
  if (!Object.hasOwn(FACT_PHRASES, leaf.fact)) return undefined;
  const fact = leaf.fact as FactName;
  const phrase = FACT_PHRASES[fact][lang];
  const unit = FACT_UNITS[fact];
  const { operator, value } = leaf;
  const isEquality = operator === 'equal' || operator === 'notEqual';

  if (typeof value === 'boolean') {
    if (!phrase.whenTrue || !isEquality) return undefined;
    const holds = (operator === 'equal') === value;
    return { subject: phrase.subject, ...phrase.whenTrue, negated: !holds };
  }
  const compared = comparedText(policy, value, lang);
  if (compared === undefined) return undefined;
  const base = { subject: phrase.subject, verb: WORDS.is[lang] };

  if (operator === 'in' || operator === 'notIn') {
    if (!compared.list) return undefined;
    const rest =
      operator === 'in'
        ? compared.count === 1
          ? compared.text
          : `${WORDS.oneOf[lang]} ${compared.text}`
        : compared.count === 1
          ? `${WORDS.otherThan[lang]} ${compared.text}`
          : `${WORDS.noneOf[lang]} ${compared.text}`;
    return { ...base, rest, negated: false };
  }
  if (compared.list) return undefined;
  const words = comparisonWords(unit);
  if (isEquality) {
    const rest = unit === 'date' ? `${words.equal[lang]} ${compared.text}` : compared.text;
    return { ...base, rest, negated: operator === 'notEqual' };
  }
  if (Object.hasOwn(words, operator)) {
    const word = words[operator as keyof typeof words][lang];
    return { ...base, rest: `${word} ${compared.text}`, negated: false };
  }
  return undefined;
}

function comparisonWords(unit: FactUnit) {
  return unit === 'date' ? DATE_COMPARISONS : NUMBER_COMPARISONS;
}

/** The right-hand side: a parameter's current value with its unit, another fact, or a literal. */
function comparedText(
  policy: Policy,
  value: unknown,
  lang: Language,
): { text: string; list: boolean; count: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reference = value as { fact?: unknown; path?: unknown };
  if (reference.fact === 'parameters') {
    const parameter = parameterOf(policy, reference.path);
    if (!parameter) return undefined;
    const list = Array.isArray(parameter.value);
    return {
      text: formatParameterValue(parameter, lang),
      list,
      count: list ? (parameter.value as readonly unknown[]).length : 1,
    };
  }
  if (typeof reference.fact === 'string' && Object.hasOwn(FACT_PHRASES, reference.fact)) {
    const phrase: FactPhrase = FACT_PHRASES[reference.fact as FactName][lang];
    return { text: phrase.subject, list: false, count: 1 };
  }
  return undefined;
}

/** `$.maxAmountOre` → the parameter, if the policy has it. */
export function parameterOf(policy: Policy, path: unknown) {
  if (typeof path !== 'string' || !path.startsWith('$.')) return undefined;
  const name = path.slice(2);
  return Object.hasOwn(policy.parameters, name) ? policy.parameters[name] : undefined;
}

/** Fact name, operator and value as written, with a parameter's value resolved where it can be. */
function plainText(policy: Policy, leaf: LeafCondition, lang: Language): string {
  let shown: string;
  const reference = leaf.value as { fact?: unknown; path?: unknown } | null;
  if (typeof reference === 'object' && reference !== null && reference.fact === 'parameters') {
    const parameter = parameterOf(policy, reference.path);
    shown = parameter
      ? `${String(reference.path).slice(2)} (${formatParameterValue(parameter, lang)})`
      : String(reference.path);
  } else if (typeof reference === 'object' && reference !== null) {
    shown = String(reference.fact);
  } else if (Array.isArray(leaf.value)) {
    shown = formatNameList(leaf.value, 'invoice-statuses', lang);
  } else {
    shown = JSON.stringify(leaf.value) ?? String(leaf.value);
  }
  return `${leaf.fact} ${leaf.operator} ${shown}`;
}

/** Names of the parameters a condition tree refers to, in the order they first appear. */
export function parametersIn(condition: unknown, found: string[] = []): string[] {
  if (Array.isArray(condition)) {
    for (const item of condition) parametersIn(item, found);
  } else if (typeof condition === 'object' && condition !== null) {
    const c = condition as Record<string, unknown>;
    if (c.fact === 'parameters' && typeof c.path === 'string' && c.path.startsWith('$.')) {
      const name = c.path.slice(2);
      if (!found.includes(name)) found.push(name);
    }
    for (const key of ['all', 'any', 'not', 'value']) if (key in c) parametersIn(c[key], found);
  }
  return found;
}
