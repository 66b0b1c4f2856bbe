import type {
  EventType,
  Language,
  Outcome,
  ParameterUnit,
  Policy,
  PolicyRule,
} from '../policy.types';
import { type ConditionNode, isFlat, leafText, normalize, parametersIn } from './condition-text';
import { formatParameterValue } from './format-values';
import {
  HOW_OUTCOME_IS_CHOSEN,
  OUTCOME_LABELS,
  OUTCOME_LEADS,
  PARAMETER_LABELS,
  WORDS,
} from './policy-words';

export interface DescribedParameter {
  /** The parameter's name in the policy file, e.g. `maxAmountOre`. */
  readonly name: string;
  readonly label: string;
  readonly unit: ParameterUnit;
  /** Formatted with its unit: `10 000 kr`, `30 dager`, `3`, `«Ikke betalt»`. */
  readonly value: string;
  /** As written in the policy file, which the schema asks to be in bokmål. */
  readonly description: string;
  readonly descriptionLang: 'nb';
}

/** One bullet: a comparison, or a heading ("minst ett av punktene under stemmer:") with its own bullets. */
export interface ConditionItem {
  readonly text: string;
  readonly items?: readonly ConditionItem[];
}

export interface RuleDescription {
  readonly name: string;
  readonly priority: number;
  readonly eventType: EventType;
  readonly outcome: Outcome;
  /**
   * The rule as one sentence ("Innvilges automatisk når beløpet er under 10 000 kr og …") when its
   * conditions read unambiguously that way; when they nest, the sentence's start ending in a colon
   * ("Innvilges automatisk når alle punktene under stemmer:") and `items` holds the bullets.
   */
  readonly text: string;
  readonly items?: readonly ConditionItem[];
  /** What the resident is told when the rule decides, from the policy file. */
  readonly reason: string;
  /** The rule's own note in the policy file (bokmål), if any. */
  readonly note?: string;
}

export interface RuleTableRow {
  readonly name: string;
  readonly priority: number;
  readonly outcome: Outcome;
  readonly outcomeLabel: string;
  /** Whether every part must hold, or at least one. */
  readonly match: 'all' | 'any';
  readonly matchLabel: string;
  /** One cell per part; a nested group in parentheses ("(a eller b)"). */
  readonly conditions: readonly string[];
  readonly parameters: readonly DescribedParameter[];
}

export interface PolicyDescription {
  readonly lang: Language;
  readonly title: string;
  /** How the outcome is chosen when several rules apply. */
  readonly intro: string;
  /** Highest priority first, then in policy-file order: the order the engine runs them in. */
  readonly rules: readonly RuleDescription[];
  readonly table: readonly RuleTableRow[];
  readonly parameters: readonly DescribedParameter[];
}

const OUTCOME_OF: Readonly<Record<EventType, Outcome>> = {
  approve: 'approved',
  reject: 'rejected',
  'manual-review': 'manual_review',
};

/** The policy in words, generated from its rule JSON and current parameter values. Never throws for an odd rule. */
export function describePolicy(policy: Policy, lang: Language): PolicyDescription {
  const ordered = policy.rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
  return {
    lang,
    title: policy.title?.[lang] ?? policy.id,
    intro: HOW_OUTCOME_IS_CHOSEN[lang],
    rules: ordered.map((rule) => describeRule(policy, rule, lang)),
    table: ordered.map((rule) => tableRow(policy, rule, lang)),
    parameters: describeParameters(policy, lang),
  };
}

export function describeParameters(policy: Policy, lang: Language): DescribedParameter[] {
  return Object.keys(policy.parameters).map((name) => describeParameter(policy, name, lang));
}

function describeParameter(policy: Policy, name: string, lang: Language): DescribedParameter {
  const parameter = policy.parameters[name];
  return {
    name,
    label: Object.hasOwn(PARAMETER_LABELS, name) ? PARAMETER_LABELS[name][lang] : name,
    unit: parameter.unit,
    value: formatParameterValue(parameter, lang),
    description: parameter.description,
    descriptionLang: 'nb',
  };
}

function describeRule(policy: Policy, rule: PolicyRule, lang: Language): RuleDescription {
  const node = normalize(rule.conditions);
  const lead = leadOf(rule, lang);
  const common = {
    name: rule.name,
    priority: rule.priority,
    eventType: rule.event.type,
    outcome: OUTCOME_OF[rule.event.type] ?? 'manual_review',
    reason: rule.event.params?.text?.[lang] ?? '',
    ...(rule.description ? { note: rule.description } : {}),
  };
  if (isFlat(node)) return { ...common, text: `${lead} ${sentence(policy, node, lang)}.` };
  const group = node as Extract<ConditionNode, { kind: 'all' | 'any' }>;
  return {
    ...common,
    text: `${lead} ${heading(group, lang)}`,
    items: group.children.map((child) => item(policy, child, lang)),
  };
}

function leadOf(rule: PolicyRule, lang: Language): string {
  return OUTCOME_LEADS[rule.event.type]?.[lang] ?? `${String(rule.event.type)} ${WORDS.when[lang]}`;
}

/** Comparisons joined by a repeated "og" or "eller", never mixed: flat nodes only. */
function sentence(policy: Policy, node: ConditionNode, lang: Language): string {
  if (node.kind === 'leaf') return leafText(policy, node, lang, 'sub');
  if (node.children.length === 0) return WORDS.always[lang];
  const joiner = ` ${node.kind === 'all' ? WORDS.and[lang] : WORDS.or[lang]} `;
  return node.children.map((child) => sentence(policy, child, lang)).join(joiner);
}

function heading(node: Extract<ConditionNode, { kind: 'all' | 'any' }>, lang: Language): string {
  return node.kind === 'all' ? WORDS.allBelow[lang] : WORDS.anyBelow[lang];
}

function item(policy: Policy, node: ConditionNode, lang: Language): ConditionItem {
  if (node.kind === 'leaf') return { text: leafText(policy, node, lang, 'main') };
  return {
    text: heading(node, lang),
    items: node.children.map((child) => item(policy, child, lang)),
  };
}

function tableRow(policy: Policy, rule: PolicyRule, lang: Language): RuleTableRow {
  const node = normalize(rule.conditions);
  const match = node.kind === 'any' ? 'any' : 'all';
  const parts = node.kind === 'leaf' ? [node] : node.children;
  const named = parametersIn(rule.conditions);
  const forReason = rule.event.params?.parameter;
  if (forReason !== undefined && !named.includes(forReason)) named.push(forReason);
  return {
    name: rule.name,
    priority: rule.priority,
    outcome: OUTCOME_OF[rule.event.type] ?? 'manual_review',
    outcomeLabel: OUTCOME_LABELS[rule.event.type]?.[lang] ?? String(rule.event.type),
    match,
    matchLabel: match === 'all' ? WORDS.matchAll[lang] : WORDS.matchAny[lang],
    conditions: parts.map((part) => cell(policy, part, lang)),
    parameters: named
      .filter((name) => Object.hasOwn(policy.parameters, name))
      .map((name) => describeParameter(policy, name, lang)),
  };
}

/** A comparison as a statement; a group in parentheses, so "(a eller b)" cannot be misread. */
function cell(policy: Policy, node: ConditionNode, lang: Language): string {
  if (node.kind === 'leaf') return leafText(policy, node, lang, 'main');
  if (node.children.length === 0) return WORDS.always[lang];
  const joiner = ` ${node.kind === 'all' ? WORDS.and[lang] : WORDS.or[lang]} `;
  return `(${node.children.map((child) => cell(policy, child, lang)).join(joiner)})`;
}
