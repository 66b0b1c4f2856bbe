import type { Outcome } from '../policy';
import type { IsoDate } from '../shared/calendar-date';
import { type FieldProblem, QueryReader, STAFF_ACTOR, UUID } from './audit-query';

export const OUTCOMES: readonly Outcome[] = ['approved', 'rejected', 'manual_review'];
/** Who gave the outcome in force: the policy (no officer) or a person. */
export const DECIDERS = ['automatisk', 'saksbehandler'] as const;
export type Decider = (typeof DECIDERS)[number];
/**
 * The invoice types a decision's facts can name: the policy's `INVOICE_TYPES`, which the policy
 * feature does not export (decision-search.query.spec.ts holds the two lists equal).
 */
export const INVOICE_TYPE_CHOICES = [
  'VANN_AVLOP',
  'RENOVASJON',
  'BARNEHAGE',
  'SFO',
  'EIENDOMSSKATT',
  'OTHER',
] as const;
export const PAGE_SIZE = 50;
const MAX_PAGE = 100_000;
/** `UTS-7K3M-Q9TX`, however it was typed (case, spaces around). */
const REFERENCE = /^UTS-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

export interface DecisionSearch {
  /** What the municipality field shows as chosen: an id, or `alle`. */
  municipalityChoice: string;
  municipalityIds: string[];
  from?: IsoDate;
  to?: IsoDate;
  outcome?: Outcome;
  decider?: Decider;
  versionId?: string;
  invoiceType?: string;
  reference?: string;
  /** `staff:<sub>` of the officer who decided. */
  officer?: string;
  /** 1, 2, … */
  page: number;
}

/** The search form (a GET form) read against the municipalities the auditor serves. */
export function parseDecisionSearch(
  query: Record<string, unknown>,
  served: readonly string[],
  current: string,
): { search: DecisionSearch; problems: FieldProblem[] } {
  const read = new QueryReader(query);
  const municipalities = read.municipalities('kommune', served, current);
  const { from, to } = read.period('fra', 'til');
  const search: DecisionSearch = {
    municipalityChoice: municipalities.choice,
    municipalityIds: municipalities.ids,
    from,
    to,
    outcome: read.choice('utfall', OUTCOMES),
    decider: read.choice('avgjort', DECIDERS),
    versionId: read.matching('versjon', UUID, (v) => v.toLowerCase()),
    invoiceType: read.choice('type', INVOICE_TYPE_CHOICES),
    reference: read.matching('referanse', REFERENCE, (v) => v.toUpperCase()),
    officer: read.matching('saksbehandler', STAFF_ACTOR),
    page: read.integer('side', 1, MAX_PAGE, 1),
  };
  return { search, problems: read.problems };
}

/** The query string of a search (for the pages' links), without the page unless asked. */
export function searchQueryString(search: DecisionSearch, page?: number): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string | undefined) => {
    if (value) params.set(name, value);
  };
  add('kommune', search.municipalityChoice);
  add('fra', search.from);
  add('til', search.to);
  add('utfall', search.outcome);
  add('avgjort', search.decider);
  add('versjon', search.versionId);
  add('type', search.invoiceType);
  add('referanse', search.reference);
  add('saksbehandler', search.officer);
  if (page !== undefined && page > 1) params.set('side', String(page));
  return params.toString();
}
