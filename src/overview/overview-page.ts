import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { OUTCOME_KINDS } from '../deferrals';
import type { Language } from '../shared/request-context';
import { toCsv } from '../shared/csv';
import { agesChart, failuresChart, weeklyChart } from './overview-charts';
import { durationIn, numbersFor, type Numbers } from './overview-format';
import {
  ALL_MUNICIPALITIES,
  type OverviewSelection,
  PERIOD_WEEKS,
  type QueryError,
  type ServedMunicipality,
} from './overview-query';
import type { OverviewFigures } from './overview.service';

export const OVERVIEW_PATH = '/saksbehandler/oversikt';

type Translate = (key: string, args?: Record<string, unknown>) => string;

/** Turns the dashboard's figures into the page's view model (charts included) and its CSV. */
@Injectable()
export class OverviewPage {
  constructor(private readonly i18n: I18nService<Record<string, unknown>>) {}

  private translator(lang: Language): Translate {
    return (key, args) => this.i18n.t(key, { lang, args });
  }

  /** The page; without figures (a refused choice), only the form and its errors. */
  model(
    lang: Language,
    served: readonly ServedMunicipality[],
    selection: OverviewSelection,
    figures?: OverviewFigures,
    errors: readonly QueryError[] = [],
  ) {
    const t = this.translator(lang);
    const query = `kommune=${encodeURIComponent(selection.choice)}&uker=${selection.weeks}`;
    const errorOf = (field: QueryError['field']) => {
      const error = errors.find((e) => e.field === field);
      return error && t(error.key);
    };
    return {
      titleKey: 'staffOverview.title',
      form: {
        severalMunicipalities: served.length > 1,
        allSelected: selection.choice === ALL_MUNICIPALITIES,
        municipalities: served.map((m) => ({
          slug: m.slug,
          name: m.name,
          selected: m.slug === selection.choice,
        })),
        periods: PERIOD_WEEKS.map((weeks) => ({ weeks, selected: weeks === selection.weeks })),
        errors: errors.map((e) => ({ field: e.field, message: t(e.key) })),
        municipalityError: errorOf('kommune'),
        weeksError: errorOf('uker'),
      },
      ...(figures ? this.figures(t, numbersFor(lang), figures, query) : {}),
    };
  }

  private figures(t: Translate, n: Numbers, figures: OverviewFigures, query: string) {
    const { cases, selection } = figures;
    const { combined, timeToDecision } = cases;
    const first = cases.weeks[0];
    const last = cases.weeks.at(-1)!;
    const weekName = (w: typeof first) =>
      t('staffOverview.weekName', { week: w.week, year: w.year });
    const several = selection.municipalities.length > 1;
    const duration = (ms: number | null) => {
      if (ms === null) return '';
      const { unit, value } = durationIn(ms);
      return t(`staffOverview.duration.${unit}`, { n: n.decimal(value) });
    };
    const openNow = combined.openByAge;
    return {
      period: t('staffOverview.period', {
        municipality: several
          ? t('staffOverview.allMunicipalities', {
              names: selection.municipalities.map((m) => m.name).join(', '),
            })
          : selection.municipalities[0].name,
        from: weekName(first),
        to: weekName(last),
        weeks: selection.weeks,
      }),
      csvHref: `${OVERVIEW_PATH}.csv?${query}`,
      empty: combined.requests === 0,
      keyFigures: {
        requests: n.count(combined.requests),
        automaticShare:
          combined.requests === 0
            ? t('staffOverview.figures.noRequests')
            : t('staffOverview.figures.automaticShareValue', {
                percent: n.percent(combined.decidedAutomatically / combined.requests),
                count: n.count(combined.decidedAutomatically),
                total: n.count(combined.requests),
              }),
        median: duration(timeToDecision.medianMs),
        p90: duration(timeToDecision.p90Ms),
        decisions: timeToDecision.decisions,
        decisionsText: t('staffOverview.figures.decisions', {
          n: n.count(timeToDecision.decisions),
        }),
        openNow: n.count(Object.values(openNow).reduce((a, b) => a + b, 0)),
        failedNow: n.count(figures.failedNow),
        hoursSaved: t('staffOverview.figures.hours', {
          hours: n.decimal(figures.totalHoursSaved),
        }),
        formulaLines: figures.hoursSaved.map((s) =>
          t('staffOverview.figures.formulaLine', {
            municipality: s.municipality.name,
            automatic: n.count(s.automatic),
            minutes: n.decimal(s.municipality.minutesPerManualCase),
            hours: n.decimal(s.hours),
          }),
        ),
      },
      perMunicipality: several
        ? figures.hoursSaved.map((s, i) => ({
            name: s.municipality.name,
            requests: n.count(cases.municipalities[i].requests),
            automatic: n.count(s.automatic),
            minutes: n.decimal(s.municipality.minutesPerManualCase),
            hours: n.decimal(s.hours),
          }))
        : undefined,
      charts: [weeklyChart(t, n, figures), agesChart(t, n, figures), failuresChart(t, n, figures)],
    };
  }

  /**
   * One row per municipality and week: the outcome counts, their sum, and the write-backs that
   * failed that week; a header row in the page's language. Counts are plain integers.
   */
  csv(lang: Language, figures: OverviewFigures): { filename: string; body: string } {
    const t = this.translator(lang);
    const { cases, failures, selection } = figures;
    const header = [
      t('staffOverview.csv.municipality'),
      t('staffOverview.csv.week'),
      t('staffOverview.csv.weekStart'),
      ...OUTCOME_KINDS.map((kind) => t(`staffOverview.outcomes.${kind}`)),
      t('staffOverview.table.total'),
      t('staffOverview.csv.failures'),
    ];
    const rows = selection.municipalities.flatMap((m, i) =>
      cases.weeks.map((week, w) => {
        const counts = cases.municipalities[i].weeks[w];
        const outcomes = OUTCOME_KINDS.map((kind) => counts[kind]);
        return [
          m.name,
          week.label,
          week.monday,
          ...outcomes,
          outcomes.reduce((a, b) => a + b, 0),
          failures.municipalities[i].failedPerWeek[w],
        ];
      }),
    );
    const slug = selection.choice.replace(/[^a-z0-9-]/g, '');
    return {
      filename: `oversikt-${slug}-${cases.weeks[0].label}-${cases.weeks.at(-1)!.label}.csv`,
      body: toCsv([header, ...rows]),
    };
  }
}
