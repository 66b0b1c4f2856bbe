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
  values?: Record<string, string>;
}

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
  return { allowed: true, options, problems: posted?.problems, values: posted?.values };
}
