import type { IsoDate } from '../shared/calendar-date';
import type { DeferralRequest } from './deferral-request.entity';

/** The seed policies' notice that the original due date holds until a person has decided. */
const ORIGINAL_DUE_DATE_APPLIES = 'original-due-date-applies';

/**
 * The policy's notices on the case page and in a receipt, as far as they are still true. They were
 * chosen for the policy's outcome, so none once an officer has decided; and "until a caseworker has
 * decided, the original due date applies" not once that date has passed (a request made after the
 * due date), where it would promise a date that is already gone.
 */
export function noticesStillTrue(
  request: Pick<DeferralRequest, 'notices' | 'decidedBy' | 'originalDueDate'>,
  today: IsoDate,
): DeferralRequest['notices'] {
  if (request.decidedBy !== null) return [];
  return request.notices.filter(
    (notice) => notice.code !== ORIGINAL_DUE_DATE_APPLIES || request.originalDueDate >= today,
  );
}
