import { niceScale } from './chart-scale';
import { escapeXml, fmt, legendRows, paint, patternDefs, type SeriesStyle } from './svg-parts';

export type { SeriesStyle } from './svg-parts';

export interface BarChartSeries {
  label: string;
  style: SeriesStyle;
}

export interface BarChart {
  /** Unique on the page: every id inside the SVG starts with it. */
  id: string;
  /** The SVG's `<title>`: what the chart shows. */
  title: string;
  /** The SVG's `<desc>`: the numbers in a sentence or two, for those who cannot see the bars. */
  description: string;
  /** Along the x-axis: `tick` is written under the bar, `label` names it in its tooltip. */
  categories: readonly { label: string; tick: string }[];
  /** Stacked bottom to top in this order; one series is a plain bar chart. */
  series: readonly BarChartSeries[];
  /** `values[category][series]`: whole, non-negative counts. */
  values: readonly (readonly number[])[];
  yAxisLabel: string;
  /** Written in the plot when every value is 0. */
  emptyText: string;
  formatNumber(value: number): string;
}

const WIDTH = 720;
const LEFT = 56;
const RIGHT = 12;
const PLOT_HEIGHT = 220;
const LEGEND_ROW = 22;
const AXIS_BELOW = 40;
/** More categories than this: every second (or third …) one is labelled, and no totals are written. */
const MAX_LABELS = 13;
const MAX_TOTALS = 26;

/**
 * A bar chart drawn as an SVG string on the server, stacked when there are several series: no
 * script, no library. Colours are Designsystemet's tokens through the classes of
 * /static/overview.css (a page's CSP allows no inline style), so they follow the light and dark
 * scheme; series also differ by pattern and the legend names them, so colour is never the only
 * cue. The SVG is one image to assistive technology (`role="img"`, `<title>` and `<desc>`); its
 * numbers belong in a table beside it. Every text is escaped here.
 */
export function renderBarChart(chart: BarChart): string {
  const { id, categories, series, values } = chart;
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new TypeError(`not a chart id: ${id}`);
  if (values.length !== categories.length || values.some((v) => v.length !== series.length))
    throw new RangeError('values must be one row per category, one number per series');
  if (values.some((row) => row.some((v) => !Number.isInteger(v) || v < 0)))
    throw new RangeError('values are whole counts ≥ 0');
  const totals = values.map((row) => row.reduce((a, b) => a + b, 0));
  const { top, ticks } = niceScale(Math.max(0, ...totals));
  const legend =
    series.length > 1
      ? legendRows(
          series.map((s) => s.label),
          WIDTH - LEFT,
        )
      : [];
  const plotTop = 16 + legend.length * LEGEND_ROW;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const height = plotBottom + AXIS_BELOW;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(2, band * 0.7);
  const y = (value: number) => plotBottom - (value / top) * PLOT_HEIGHT;
  const every = Math.ceil(categories.length / MAX_LABELS);
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" data-top="${top}">`,
    `<title id="${id}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(chart.description)}</desc>`,
    `<defs>${patternDefs(
      id,
      series.map((s) => s.style),
    )}</defs>`,
  );
  legend.forEach((row, r) =>
    row.forEach((item) => {
      const ly = 4 + r * LEGEND_ROW;
      parts.push(
        `<g class="chart-legend-item"><rect x="${fmt(LEFT + item.x)}" y="${ly}" width="14" height="14" ${paint(id, series[item.index].style)}/>`,
        `<text class="chart-text" x="${fmt(LEFT + item.x + 20)}" y="${ly + 12}">${escapeXml(item.label)}</text></g>`,
      );
    }),
  );
  for (const tick of ticks) {
    const ty = fmt(y(tick));
    parts.push(
      `<line class="${tick === 0 ? 'chart-axis' : 'chart-grid'}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}"/>`,
      `<text class="chart-text chart-tick" x="${LEFT - 6}" y="${fmt(y(tick) + 4)}" text-anchor="end">${escapeXml(chart.formatNumber(tick))}</text>`,
    );
  }
  parts.push(
    `<text class="chart-text" transform="translate(14 ${fmt((plotTop + plotBottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yAxisLabel)}</text>`,
  );
  categories.forEach((category, c) => {
    const x = LEFT + c * band + (band - barWidth) / 2;
    let stacked = 0;
    series.forEach((s, k) => {
      const value = values[c][k];
      if (value === 0) return;
      const from = y(stacked + value);
      const tooltip = `${category.label}: ${s.label} ${chart.formatNumber(value)}`;
      parts.push(
        `<g class="chart-bar"><rect data-category="${c}" data-series="${k}" x="${fmt(x)}" y="${fmt(from)}" width="${fmt(barWidth)}" height="${fmt(y(stacked) - from)}" ${paint(id, s.style)}><title>${escapeXml(tooltip)}</title></rect></g>`,
      );
      stacked += value;
    });
    if (categories.length <= MAX_TOTALS && totals[c] > 0)
      parts.push(
        `<text class="chart-text chart-total" x="${fmt(x + barWidth / 2)}" y="${fmt(y(totals[c]) - 4)}" text-anchor="middle">${escapeXml(chart.formatNumber(totals[c]))}</text>`,
      );
    if ((categories.length - 1 - c) % every === 0)
      parts.push(
        `<text class="chart-text chart-category" x="${fmt(LEFT + c * band + band / 2)}" y="${plotBottom + 18}" text-anchor="middle">${escapeXml(category.tick)}</text>`,
      );
  });
  if (totals.every((t) => t === 0))
    parts.push(
      `<text class="chart-text chart-empty" x="${fmt(LEFT + plotWidth / 2)}" y="${fmt(plotTop + PLOT_HEIGHT / 2)}" text-anchor="middle">${escapeXml(chart.emptyText)}</text>`,
    );
  parts.push('</svg>');
  return parts.join('');
}
