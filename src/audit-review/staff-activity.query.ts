import type { AuditEntryType } from '../audit';
import type { IsoDate } from '../shared/calendar-date';
import { type FieldProblem, QueryReader, STAFF_ACTOR } from './audit-query';

/**
 * What members of staff did, as the audit chain records it: logins, looking at a resident's case or
 * decision, the steps of case work, write-backs followed up by hand, and every change to the policy.
 * (The policy's decisions, the worker's write-backs and the residents' own steps are not staff's.)
 */
export const ACTIVITY_TYPES: readonly AuditEntryType[] = [
  'staff.login',
  'staff.logout',
  'case.opened',
  'audit.decision_opened',
  'audit.verified',
  'case.taken',
  'case.info_requested',
  'case.decided',
  'writeback.retried',
  'writeback.resolved_by_hand',
  'writeback.registered_by_hand',
  'policy.draft_created',
  'policy.draft_saved',
  'policy.draft_submitted',
  'policy.draft_returned',
  'policy.draft_discarded',
  'policy.published',
  'policy.activated',
  'settings.finance_changed',
  'settings.finance_tested',
];
export const ACTIVITY_PAGE_SIZE = 50;

export interface ActivityFilter {
  /** One municipality: each has a chain of its own, read newest first by its seq. */
  municipalityId: string;
  /** `staff:<sub>`. */
  person?: string;
  type?: AuditEntryType;
  from?: IsoDate;
  to?: IsoDate;
  /** Entries older than this seq (the next page). */
  before?: number;
}

/** The activity page's GET form, read against the municipalities the auditor serves. */
export function parseActivityFilter(
  query: Record<string, unknown>,
  served: readonly string[],
  current: string,
): { filter: ActivityFilter; problems: FieldProblem[] } {
  const read = new QueryReader(query);
  const municipality = read.municipalities('kommune', served, current, false);
  const { from, to } = read.period('fra', 'til');
  const before = read.integer('eldre', 2, Number.MAX_SAFE_INTEGER, 0);
  const filter: ActivityFilter = {
    municipalityId: municipality.ids[0],
    person: read.matching('hvem', STAFF_ACTOR),
    type: read.choice('hva', ACTIVITY_TYPES),
    from,
    to,
    ...(before > 0 ? { before } : {}),
  };
  return { filter, problems: read.problems };
}

/** The query string of a filter (for the next page's link), without the cursor unless given. */
export function activityQueryString(filter: ActivityFilter, before?: number): string {
  const params = new URLSearchParams({ kommune: filter.municipalityId });
  if (filter.person) params.set('hvem', filter.person);
  if (filter.type) params.set('hva', filter.type);
  if (filter.from) params.set('fra', filter.from);
  if (filter.to) params.set('til', filter.to);
  if (before !== undefined) params.set('eldre', String(before));
  return params.toString();
}
