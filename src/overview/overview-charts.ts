import { AGE_BANDS, OUTCOME_KINDS, type OutcomeKind } from '../deferrals';
import type { OsloWeek } from '../shared/oslo-weeks';
import { type BarChart, renderBarChart, type SeriesStyle } from './charts/bar-chart';
import type { Numbers } from './overview-format';
import type { OverviewFigures } from './overview.service';

/** A chart as the page shows it: the SVG, its caption, and its numbers as a table right after. */
export interface ChartFigure {
  id: string;
  heading: string;
  svg: string;
  caption: string;
  table: FigureTable;
}

export interface FigureTable {
  caption: string;
  /** The first names the row headers' column. */
  columns: string[];
  rows: { header: string; cells: string[] }[];
  foot: { header: string; cells: string[] };
}

/** Officers' decisions hatched, open cases dotted: the pattern says what the colour says. */
const OUTCOME_STYLE: Record<OutcomeKind, SeriesStyle> = {
  approvedAutomatically: 'success',
  rejectedAutomatically: 'danger',
  approvedByOfficer: 'success-striped',
  rejectedByOfficer: 'danger-striped',
  open: 'info-dotted',
};

type Translate = (key: string, args?: Record<string, unknown>) => string;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function weekLabel(t: Translate, week: OsloWeek): string {
  return t('staffOverview.weekLabel', { week: week.week, year: week.year });
}

function figure(
  t: Translate,
  n: Numbers,
  chart: Omit<BarChart, 'formatNumber' | 'yAxisLabel' | 'emptyText'>,
  key: string,
  captionArgs: Record<string, unknown>,
  table: FigureTable,
): ChartFigure {
  return {
    id: chart.id,
    heading: t(`staffOverview.charts.${key}.heading`),
    svg: renderBarChart({
      ...chart,
      yAxisLabel: t(`staffOverview.charts.${key}.yAxis`),
      emptyText: t(`staffOverview.charts.${key}.empty`),
      formatNumber: n.count,
    }),
    caption: t(`staffOverview.charts.${key}.caption`, captionArgs),
    table,
  };
}

/** Requests per week, stacked by outcome, for the selection as a whole. */
export function weeklyChart(t: Translate, n: Numbers, figures: OverviewFigures): ChartFigure {
  const { weeks } = figures.cases;
  const { combined } = figures.cases;
  const outcomes = OUTCOME_KINDS.map((kind) => t(`staffOverview.outcomes.${kind}`));
  const values = combined.weeks.map((week) => OUTCOME_KINDS.map((kind) => week[kind]));
  const totals = values.map(sum);
  const busiest = totals.indexOf(Math.max(...totals));
  const description =
    combined.requests === 0
      ? t('staffOverview.charts.weekly.descEmpty')
      : t('staffOverview.charts.weekly.desc', {
          total: n.count(combined.requests),
          automatic: n.count(combined.decidedAutomatically),
          busiest: t('staffOverview.weekName', {
            week: weeks[busiest].week,
            year: weeks[busiest].year,
          }),
          max: n.count(totals[busiest]),
        });
  return figure(
    t,
    n,
    {
      id: 'chart-weekly',
      title: t('staffOverview.charts.weekly.title'),
      description,
      categories: weeks.map((w) => ({ label: weekLabel(t, w), tick: String(w.week) })),
      series: OUTCOME_KINDS.map((kind, i) => ({ label: outcomes[i], style: OUTCOME_STYLE[kind] })),
      values,
    },
    'weekly',
    {},
    {
      caption: t('staffOverview.charts.weekly.title'),
      columns: [t('staffOverview.table.week'), ...outcomes, t('staffOverview.table.total')],
      rows: weeks.map((w, i) => ({
        header: weekLabel(t, w),
        cells: [...values[i], totals[i]].map(n.count),
      })),
      foot: {
        header: t('staffOverview.table.total'),
        cells: [...OUTCOME_KINDS.map((kind) => combined.totals[kind]), combined.requests].map(
          n.count,
        ),
      },
    },
  );
}

/** The cases open now, by how long they have waited for a person. */
export function agesChart(t: Translate, n: Numbers, figures: OverviewFigures): ChartFigure {
  const { openByAge } = figures.cases.combined;
  const labels = AGE_BANDS.map((band) => t(`staffOverview.ages.${band.key}`));
  const counts = AGE_BANDS.map((band) => openByAge[band.key]);
  const total = sum(counts);
  const description =
    total === 0
      ? t('staffOverview.charts.ages.descEmpty')
      : t('staffOverview.charts.ages.desc', {
          total: n.count(total),
          list: labels.map((label, i) => `${label}: ${n.count(counts[i])}`).join(', '),
        });
  return figure(
    t,
    n,
    {
      id: 'chart-ages',
      title: t('staffOverview.charts.ages.title'),
      description,
      categories: labels.map((label) => ({ label, tick: label })),
      series: [{ label: t('staffOverview.table.cases'), style: 'info' }],
      values: counts.map((c) => [c]),
    },
    'ages',
    {},
    {
      caption: t('staffOverview.charts.ages.title'),
      columns: [t('staffOverview.table.age'), t('staffOverview.table.cases')],
      rows: labels.map((label, i) => ({ header: label, cells: [n.count(counts[i])] })),
      foot: { header: t('staffOverview.table.total'), cells: [n.count(total)] },
    },
  );
}

/** Write-backs that failed, per week they failed, for the selection as a whole. */
export function failuresChart(t: Translate, n: Numbers, figures: OverviewFigures): ChartFigure {
  const { weeks, municipalities } = figures.failures;
  const perWeek = weeks.map((_, i) => sum(municipalities.map((m) => m.failedPerWeek[i])));
  const total = sum(perWeek);
  const now = n.count(figures.failedNow);
  return figure(
    t,
    n,
    {
      id: 'chart-failures',
      title: t('staffOverview.charts.failures.title'),
      description:
        total === 0
          ? t('staffOverview.charts.failures.descEmpty')
          : t('staffOverview.charts.failures.desc', { total: n.count(total), now }),
      categories: weeks.map((w) => ({ label: weekLabel(t, w), tick: String(w.week) })),
      series: [{ label: t('staffOverview.table.failures'), style: 'danger' }],
      values: perWeek.map((c) => [c]),
    },
    'failures',
    { now },
    {
      caption: t('staffOverview.charts.failures.title'),
      columns: [t('staffOverview.table.week'), t('staffOverview.table.failures')],
      rows: weeks.map((w, i) => ({ header: weekLabel(t, w), cells: [n.count(perWeek[i])] })),
      foot: { header: t('staffOverview.table.total'), cells: [n.count(total)] },
    },
  );
}
