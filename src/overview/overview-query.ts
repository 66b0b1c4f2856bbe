/** A municipality the member of staff may see figures for. */
export interface ServedMunicipality {
  id: string;
  slug: string;
  name: string;
  /** Its case settings' minutes per manual case: the "hours saved" per automatic decision. */
  minutesPerManualCase: number;
}

export const PERIOD_WEEKS = [4, 12, 26, 52] as const;
export const DEFAULT_WEEKS = 12;
/** `kommune=alle`: every municipality the member of staff serves. */
export const ALL_MUNICIPALITIES = 'alle';

export interface OverviewSelection {
  /** What the form shows as chosen: a slug, or `alle`. */
  choice: string;
  weeks: number;
  municipalities: ServedMunicipality[];
}

export interface QueryError {
  field: 'kommune' | 'uker';
  key: string;
}

export type ParsedOverviewQuery =
  | { ok: true; selection: OverviewSelection }
  /** 403: a municipality not served; 400: a malformed choice. `selection` is what to fall back to. */
  | { ok: false; status: 400 | 403; errors: QueryError[]; selection: OverviewSelection };

/**
 * The dashboard's GET form (`kommune`, `uker`) read against what the member of staff serves. A
 * municipality they do not serve is refused (403) rather than quietly replaced, so a shared or old
 * link never shows other figures than it names; `served` must not be empty.
 */
export function parseOverviewQuery(
  query: Record<string, unknown>,
  served: readonly ServedMunicipality[],
  currentId: string,
): ParsedOverviewQuery {
  const own = served.find((m) => m.id === currentId) ?? served[0];
  const errors: QueryError[] = [];
  let status: 400 | 403 = 400;

  let municipalities = [own];
  let choice = own.slug;
  const kommune = query.kommune;
  if (kommune !== undefined && typeof kommune !== 'string') {
    errors.push({ field: 'kommune', key: 'staffOverview.errors.municipalityMalformed' });
  } else if (kommune === ALL_MUNICIPALITIES) {
    municipalities = [...served];
    choice = ALL_MUNICIPALITIES;
  } else if (kommune !== undefined) {
    const found = served.find((m) => m.slug === kommune);
    if (found) {
      municipalities = [found];
      choice = found.slug;
    } else {
      errors.push({ field: 'kommune', key: 'staffOverview.errors.municipality' });
      status = 403;
    }
  }

  let weeks: number = DEFAULT_WEEKS;
  const uker = query.uker;
  if (uker !== undefined) {
    const offered = PERIOD_WEEKS.find((n) => typeof uker === 'string' && String(n) === uker);
    if (offered) weeks = offered;
    else errors.push({ field: 'uker', key: 'staffOverview.errors.weeks' });
  }

  const selection = { choice, weeks, municipalities };
  return errors.length === 0 ? { ok: true, selection } : { ok: false, status, errors, selection };
}
