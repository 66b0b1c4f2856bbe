import { Injectable } from '@nestjs/common';
import { TenancyService } from '../tenancy';
import { ALL, type FieldProblem } from './audit-query';
import { options, problemModel, typedValues } from './audit-form';
import {
  DECIDERS,
  type DecisionSearch,
  INVOICE_TYPE_CHOICES,
  OUTCOMES,
  searchQueryString,
} from './decision-search.query';
import { type DecisionSearchResult, DecisionSearchService } from './decision-search.service';

const BASE = '/revisjon';

/** The search page's model: the form (choices, values, problems) and, when it ran, the result. */
@Injectable()
export class DecisionSearchPage {
  constructor(
    private readonly decisions: DecisionSearchService,
    private readonly tenancy: TenancyService,
  ) {}

  async model(
    served: readonly string[],
    search: DecisionSearch,
    query: Record<string, unknown>,
    problems: FieldProblem[],
  ) {
    const all = await this.tenancy.all();
    const municipalities = all.filter((m) => served.includes(m.id));
    const nameOf = (id: string) => municipalities.find((m) => m.id === id)?.name ?? id;
    const [versions, officers] = await Promise.all([
      this.decisions.versions(search.municipalityIds),
      this.decisions.officers(search.municipalityIds),
    ]);
    if (search.versionId && !versions.some((v) => v.id === search.versionId))
      problems.push({ field: 'versjon', problem: 'unknown' });
    const several = municipalities.length > 1;
    const result: DecisionSearchResult | undefined =
      problems.length === 0 ? await this.decisions.search(search) : undefined;
    const typed = typedValues(query);
    return {
      titleKey: 'audit.search.title',
      several,
      // Shown to an auditor of one municipality only to say what was wrong with the one asked for.
      municipalityField: several || problems.some((p) => p.field === 'kommune'),
      values: problems.length > 0 ? typed : { ...typed, referanse: search.reference ?? '' },
      ...problemModel(problems),
      form: {
        municipalities: options(
          [
            ...municipalities.map((m) => ({ value: m.id, label: m.name })),
            ...(several ? [{ value: ALL, label: '' }] : []),
          ],
          search.municipalityChoice,
        ),
        outcomes: options(
          OUTCOMES.map((o) => ({ value: o, label: o })),
          search.outcome ?? typed.utfall,
        ),
        deciders: options(
          DECIDERS.map((d) => ({ value: d, label: d })),
          search.decider ?? typed.avgjort,
        ),
        versions: options(
          versions.map((v) => ({
            value: v.id,
            label: `${several ? `${nameOf(v.municipalityId)}: ` : ''}${v.policyId} ${v.version} (${v.hash.slice(0, 8)})`,
          })),
          search.versionId ?? typed.versjon,
        ),
        types: options(
          INVOICE_TYPE_CHOICES.map((t) => ({ value: t, label: t })),
          search.invoiceType ?? typed.type,
        ),
        officers: options(
          officers.map((o) => ({ value: o.actor, label: o.name })),
          search.officer ?? typed.saksbehandler,
        ),
      },
      result: result && {
        ...result,
        decisions: result.decisions.map((d) => ({
          ...d,
          municipality: nameOf(d.municipalityId),
          byOfficer: d.officerName !== null,
          href: `${BASE}/beslutninger/${d.id}`,
        })),
        previous: result.page > 1 ? `${BASE}?${searchQueryString(search, result.page - 1)}` : null,
        next:
          result.page < result.pages
            ? `${BASE}?${searchQueryString(search, result.page + 1)}`
            : null,
      },
    };
  }
}
