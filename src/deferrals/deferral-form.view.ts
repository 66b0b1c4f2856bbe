import { addDays, daysBetween } from '../shared/calendar-date';
import type { Invoice } from '../finance';
import type { DeferralRequest } from './deferral-request.entity';
import type { DeferralWindow } from '../policy';

export interface DeferralFormView {
  allowed: boolean;
  refusal?: string;
  opensOn?: string;
  options: { value: string; days: number; selected: boolean }[];
  existing?: { reference: string; outcome: string };
  problems?: string[];
  /** Each problem with the field it belongs to, in the order of the form: the error summary's links. */
  errors?: { field: DeferralFormField; problem: string }[];
  /** The first problem of each field, shown as that field's own validation message. */
  fieldErrors?: Partial<Record<DeferralFormField, string>>;
  values?: Record<string, string>;
}

export type DeferralFormField = 'newDueDate' | 'email';

const fieldOf = (problem: string): DeferralFormField =>
  problem === 'emailInvalid' ? 'email' : 'newDueDate';

const MAX_OPTIONS = 120;

/** The deferral part of the invoice page: the dates the policy could allow, or why not. */
export function deferralFormView(
  invoice: Invoice,
  window: DeferralWindow,
  existing: DeferralRequest | null,
  posted?: { problems: string[]; values: Record<string, string> },
): DeferralFormView {
  if (existing)
    return {
      allowed: false,
      options: [],
      existing: { reference: existing.reference, outcome: existing.outcome },
    };
  if (!window.allowed)
    return { allowed: false, refusal: window.reason, opensOn: window.opensOn, options: [] };
  const options: DeferralFormView['options'] = [];
  for (
    let date = window.earliestNewDueDate;
    date <= window.latestNewDueDate && options.length < MAX_OPTIONS;
    date = addDays(date, 1)
  ) {
    options.push({
      value: date,
      days: daysBetween(invoice.dueDate, date),
      selected: posted?.values.newDueDate === date,
    });
  }
  const errors = (posted?.problems ?? []).map((problem) => ({ field: fieldOf(problem), problem }));
  const fieldErrors: DeferralFormView['fieldErrors'] = {};
  for (const { field, problem } of errors) fieldErrors[field] ??= problem;
  return {
    allowed: true,
    options,
    problems: posted?.problems,
    errors,
    fieldErrors,
    values: posted?.values,
  };
}
