import { addDays, isIsoDate, todayInNorway } from '../../shared/calendar-date';
import type { DeferralRequest } from '../deferral-request.entity';

/** The longest text an officer or a resident may write in one message or reason. */
export const CASE_TEXT_MAX = 2000;
/** How far ahead an officer may set a due date: "any date", but not a typo years away. */
export const OFFICER_DUE_DATE_MAX_DAYS = 730;

export type DueDateProblem = 'missing' | 'invalid' | 'notLater' | 'past' | 'tooFar';

/** What an officer may set: a real date, after the date asked about and not in the past. */
export function officerDueDateProblem(
  value: string,
  request: Pick<DeferralRequest, 'originalDueDate'>,
  today = todayInNorway(),
): DueDateProblem | undefined {
  if (value === '') return 'missing';
  if (!isIsoDate(value)) return 'invalid';
  if (value <= request.originalDueDate) return 'notLater';
  if (value < today) return 'past';
  if (value > addDays(today, OFFICER_DUE_DATE_MAX_DAYS)) return 'tooFar';
  return undefined;
}
