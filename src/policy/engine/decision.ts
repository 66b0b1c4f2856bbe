import type { IsoDate } from '../../shared/calendar-date';
import type { FactName } from './facts';
import type {
  EventType,
  LocalizedText,
  Operator,
  Outcome,
  ParameterUnit,
  ParameterValue,
} from '../policy.types';

export interface DecisionReason {
  /** Stable code from the rule's event, e.g. `amount-over-limit`; safe to store and to key translations on. */
  readonly code: string;
  readonly text: LocalizedText;
  /** The limit the reason is about, with the value in force when the decision was made. */
  readonly limit?: {
    readonly parameter: string;
    readonly value: ParameterValue;
    readonly unit: ParameterUnit;
  };
}

export type ConditionTrace =
  | {
      readonly kind: 'all' | 'any' | 'not';
      readonly result: boolean | null;
      readonly conditions: readonly ConditionTrace[];
    }
  | {
      readonly kind: 'fact';
      readonly fact: FactName;
      readonly operator: Operator;
      /** The fact's value as the engine saw it. */
      readonly factValue: unknown;
      /** The right-hand side after resolving a parameter or fact reference. */
      readonly compareTo: unknown;
      /** Set when the right-hand side was `{ fact: 'parameters', path }`. */
      readonly parameter?: string;
      /** Set when the right-hand side was another fact. */
      readonly compareFact?: FactName;
      /** null: not evaluated (the engine short-circuited). */
      readonly result: boolean | null;
    };

export interface RuleTrace {
  readonly name: string;
  readonly priority: number;
  readonly eventType: EventType;
  readonly reason: string;
  readonly fired: boolean;
  readonly conditions: ConditionTrace;
}

/** Everything needed to show, store and later explain one decision; plain JSON throughout. */
export interface Decision {
  readonly outcome: Outcome;
  /** The requested due date when approved; otherwise null. */
  readonly newDueDate: IsoDate | null;
  readonly reasons: readonly DecisionReason[];
  /** Texts for the receipt that the policy attaches to this outcome. */
  readonly notices: readonly { readonly code: string; readonly text: LocalizedText }[];
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyHash: string;
  /** Every rule in policy-file order, fired or not. */
  readonly trace: readonly RuleTrace[];
}
