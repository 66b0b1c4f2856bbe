import type { FactName, InvoiceStatus, InvoiceType } from './engine/facts';

/** The shapes of a policy file, as `rules/deferral-policy.schema.json` allows them. */

export type Language = 'nb' | 'nn' | 'en';
export type LocalizedText = Readonly<Record<Language, string>>;

export type Outcome = 'approved' | 'rejected' | 'manual_review';
export const EVENT_TYPES = ['approve', 'reject', 'manual-review'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type ParameterUnit = 'ore' | 'days' | 'count' | 'invoice-statuses' | 'invoice-types';
export type ParameterValue = number | readonly InvoiceStatus[] | readonly InvoiceType[];

export interface PolicyParameter {
  readonly value: ParameterValue;
  readonly unit: ParameterUnit;
  readonly description: string;
}

type NumberParameter = Omit<PolicyParameter, 'value'> & { readonly value: number };

export interface ParameterReference {
  readonly fact: 'parameters';
  readonly path: string;
}
export interface FactReference {
  readonly fact: FactName;
}

export interface FactCondition {
  readonly fact: FactName;
  readonly operator: Operator;
  readonly value: boolean | ParameterReference | FactReference;
}
export type BooleanCondition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };
export type Condition = FactCondition | BooleanCondition;

export interface PolicyRule {
  readonly name: string;
  readonly description?: string;
  readonly priority: number;
  readonly conditions: BooleanCondition;
  readonly event: {
    readonly type: EventType;
    readonly params: {
      readonly reason: string;
      readonly text: LocalizedText;
      readonly parameter?: string;
    };
  };
}

export interface PolicyNotice {
  readonly code: string;
  readonly showOn: readonly Outcome[];
  readonly text: LocalizedText;
}

/** A validated policy file. The form reads the five required parameters, so they always exist. */
export interface Policy {
  readonly id: string;
  readonly version: string;
  readonly title: LocalizedText;
  readonly description: string;
  readonly parameters: Readonly<Record<string, PolicyParameter>> & {
    readonly minDeferralDays: NumberParameter;
    readonly maxDeferralDays: NumberParameter;
    readonly earliestDaysBeforeDue: NumberParameter;
    readonly latestDaysAfterDue: NumberParameter;
    readonly openInvoiceStatuses: Omit<PolicyParameter, 'value'> & {
      readonly value: readonly InvoiceStatus[];
    };
  };
  readonly notices: readonly PolicyNotice[];
  readonly rules: readonly PolicyRule[];
}

/** One reason a policy file was refused: a JSON Pointer into the file and what is wrong there. */
export interface PolicyError {
  readonly path: string;
  readonly message: string;
  /** Only for text that is not JSON at all. */
  readonly line?: number;
  readonly column?: number;
}

export type PolicyLoadResult =
  | { readonly ok: true; readonly policy: Policy; readonly hash: string }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

export function formatPolicyError(error: PolicyError): string {
  return `${error.path || '/'}: ${error.message}`;
}

export function isBooleanCondition(condition: Condition): condition is BooleanCondition {
  return 'all' in condition || 'any' in condition || 'not' in condition;
}

export function isParameterReference(value: FactCondition['value']): value is ParameterReference {
  return typeof value === 'object' && value.fact === 'parameters';
}

/** `$.maxAmountOre` → `maxAmountOre`. */
export function parameterName(reference: ParameterReference): string {
  return reference.path.slice(2);
}
