import { isBankingDay } from '../shared/banking-days';
import { addDays, daysBetween } from '../shared/calendar-date';
import type { Invoice } from '../finance';
import type { DeferralRequest } from './deferral-request.entity';
import type { DeferralWindow } from '../policy';

export interface DeferralFormView {
  allowed: boolean;
  refusal?: string;
  opensOn?: string;
  /** One radio button each; the first carries the field's id, which the error summary links to. */
  options: { id: string; value: string; days: number; selected: boolean }[];
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

/**
 * The deferral part of the invoice page: the banking days among the dates the policy could allow,
 * the shortest deferral first, or why there are none.
 */
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
    if (!isBankingDay(date)) continue;
    options.push({
      id: options.length === 0 ? 'newDueDate' : `newDueDate-${date}`,
      value: date,
      days: daysBetween(invoice.dueDate, date),
      selected: posted?.values.newDueDate === date,
    });
  }
  // A short window over Easter or Christmas may hold no banking day at all.
  if (options.length === 0) return { allowed: false, refusal: 'no-banking-day', options };
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

/** The error summary's lines (at the top of the page, see templates/partials/error-summary.hbs). */
export function deferralFormErrors(view: DeferralFormView): { field: string; key: string }[] {
  return (view.errors ?? []).map(({ field, problem }) => ({
    field,
    key: `deferrals.form.problems.${problem}`,
  }));
}
