/**
 * How a series is painted: a Designsystemet colour (base-default, 3:1 or more against the page in
 * light and dark) alone, or with a pattern of the page's background colour over it.
 */
export const SERIES_FILL = {
  success: { color: 'success', pattern: null },
  'success-striped': { color: 'success', pattern: 'stripes' },
  danger: { color: 'danger', pattern: null },
  'danger-striped': { color: 'danger', pattern: 'stripes' },
  info: { color: 'info', pattern: null },
  'info-dotted': { color: 'info', pattern: 'dots' },
} as const;
export type SeriesStyle = keyof typeof SERIES_FILL;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an SVG element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** A coordinate, to two decimals at most. */
export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The `fill` of a series: a class for a plain colour, a pattern (by id) otherwise. */
export function paint(chartId: string, style: SeriesStyle): string {
  const { color, pattern } = SERIES_FILL[style];
  return pattern ? `fill="url(#${chartId}-${style})"` : `class="chart-fill-${color}"`;
}

/** The patterns the chart's series use, once each. */
export function patternDefs(chartId: string, styles: readonly SeriesStyle[]): string {
  return [...new Set(styles)]
    .map((style) => {
      const { color, pattern } = SERIES_FILL[style];
      if (pattern === 'stripes')
        return `<pattern id="${chartId}-${style}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="chart-fill-${color}" width="8" height="8"/><rect class="chart-pattern-mark" width="3" height="8"/></pattern>`;
      if (pattern === 'dots')
        return `<pattern id="${chartId}-${style}" width="6" height="6" patternUnits="userSpaceOnUse"><rect class="chart-fill-${color}" width="6" height="6"/><circle class="chart-pattern-mark" cx="3" cy="3" r="1.4"/></pattern>`;
      return '';
    })
    .join('');
}

/** Roughly how wide a label is at the chart's 13-unit font: enough to lay out a legend. */
const textWidth = (label: string) => label.length * 7.4;
const SWATCH_AND_GAP = 20;
const ITEM_GAP = 24;

/** Legend items in rows that fit `width`, each with its x offset from the row's start. */
export function legendRows(
  labels: readonly string[],
  width: number,
): { index: number; label: string; x: number }[][] {
  const rows: { index: number; label: string; x: number }[][] = [[]];
  let x = 0;
  labels.forEach((label, index) => {
    const w = SWATCH_AND_GAP + textWidth(label);
    if (x > 0 && x + w > width) {
      rows.push([]);
      x = 0;
    }
    rows.at(-1)!.push({ index, label, x });
    x += w + ITEM_GAP;
  });
  return rows;
}
