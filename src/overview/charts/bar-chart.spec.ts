import { type BarChart, renderBarChart } from './bar-chart';

const nb = new Intl.NumberFormat('nb-NO');

function chart(overrides: Partial<BarChart> = {}): BarChart {
  return {
    id: 'weekly',
    title: 'Søknader per uke',
    description: '12 søknader i alt.',
    categories: [
      { label: 'Uke 49', tick: '49' },
      { label: 'Uke 50', tick: '50' },
    ],
    series: [
      { label: 'Innvilget automatisk', style: 'success' },
      { label: 'Innvilget av saksbehandler', style: 'success-striped' },
    ],
    values: [
      [2, 1],
      [6, 2],
    ],
    yAxisLabel: 'Søknader',
    emptyText: 'Ingen søknader',
    formatNumber: (n) => nb.format(n),
    ...overrides,
  };
}

interface Bar {
  category: number;
  series: number;
  y: number;
  height: number;
  attributes: string;
  title: string;
}

function bars(svg: string): Bar[] {
  return [
    ...svg.matchAll(
      /<rect data-category="(\d+)" data-series="(\d+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" ([^>]*)><title>([^<]*)<\/title>/g,
    ),
  ].map((m) => ({
    category: Number(m[1]),
    series: Number(m[2]),
    y: Number(m[3]),
    height: Number(m[4]),
    attributes: m[5],
    title: m[6],
  }));
}

const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="chart-text ${cls}"[^>]*>([^<]*)</text>`, 'g'))].map(
    (m) => m[1],
  );

describe(renderBarChart.name, () => {
  it('is one image to assistive technology, named by its title and described by its summary', () => {
    const svg = renderBarChart(chart());
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="weekly-title weekly-desc"/);
    expect(svg).toContain('<title id="weekly-title">Søknader per uke</title>');
    expect(svg).toContain('<desc id="weekly-desc">12 søknader i alt.</desc>');
  });

  it('scales bars to a round top: the tallest stack of 8 reaches the top of 8', () => {
    const svg = renderBarChart(chart());
    expect(svg).toContain('data-top="8"');
    const [a0, a1, b0, b1] = bars(svg);
    // 2 of 8, 1 of 8, 6 of 8 and 2 of 8 of the same plot height.
    const unit = a0.height / 2;
    expect(a1.height).toBeCloseTo(unit, 1);
    expect(b0.height).toBeCloseTo(6 * unit, 1);
    expect(b1.height).toBeCloseTo(2 * unit, 1);
    expect(8 * unit).toBeCloseTo(220, 0);
  });

  it('stacks each series on the one below it', () => {
    const [a0, a1] = bars(renderBarChart(chart()));
    expect(a1.y + a1.height).toBeCloseTo(a0.y, 1);
  });

  it('labels the axis ticks, the categories and each stack’s total in the page’s number format', () => {
    const svg = renderBarChart(
      chart({
        values: [
          [1200, 34],
          [0, 0],
        ],
      }),
    );
    expect(texts(svg, 'chart-tick')).toEqual(['0', '500', '1\u00a0000', '1\u00a0500']);
    expect(texts(svg, 'chart-category')).toEqual(['49', '50']);
    expect(texts(svg, 'chart-total')).toEqual(['1\u00a0234']);
    expect(svg).toContain('>Søknader</text>');
  });

  it('tells series apart by pattern as well as colour, and names each in a legend', () => {
    const svg = renderBarChart(chart());
    const [plain, striped] = bars(svg);
    expect(plain.attributes).toBe('class="chart-fill-success"');
    expect(striped.attributes).toBe('fill="url(#weekly-success-striped)"');
    expect(svg).toContain('<pattern id="weekly-success-striped"');
    expect(svg).toContain('>Innvilget automatisk</text>');
    expect(svg).toContain('>Innvilget av saksbehandler</text>');
    expect(striped.title).toBe('Uke 49: Innvilget av saksbehandler 1');
  });

  it('has no legend for a single series, whose bars the title names', () => {
    const svg = renderBarChart(
      chart({ series: [{ label: 'Feilet', style: 'danger' }], values: [[1], [3]] }),
    );
    expect(svg).not.toContain('chart-legend-item');
    expect(svg).not.toContain('<pattern');
  });

  it('labels every second week of 26 and every fourth of 52, the newest always, and writes no totals', () => {
    const weeks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: `Uke ${i + 1}`, tick: String(i + 1) }));
    const svg26 = renderBarChart(
      chart({
        categories: weeks(26),
        series: [{ label: 'A', style: 'info' }],
        values: weeks(26).map(() => [1]),
      }),
    );
    const ticks26 = texts(svg26, 'chart-category');
    expect(ticks26).toHaveLength(13);
    expect(ticks26.at(-1)).toBe('26');
    expect(texts(svg26, 'chart-total')).toHaveLength(26);
    const svg52 = renderBarChart(
      chart({
        categories: weeks(52),
        series: [{ label: 'A', style: 'info' }],
        values: weeks(52).map(() => [1]),
      }),
    );
    const ticks52 = texts(svg52, 'chart-category');
    expect(ticks52).toHaveLength(13);
    expect(ticks52.at(-1)).toBe('52');
    expect(texts(svg52, 'chart-total')).toEqual([]);
  });

  it('draws an empty chart with an axis from 0 to 1 and says there is nothing, not an error', () => {
    const svg = renderBarChart(
      chart({
        values: [
          [0, 0],
          [0, 0],
        ],
      }),
    );
    expect(bars(svg)).toEqual([]);
    expect(texts(svg, 'chart-tick')).toEqual(['0', '1']);
    expect(texts(svg, 'chart-empty')).toEqual(['Ingen søknader']);
  });

  it('escapes every text it writes', () => {
    const svg = renderBarChart(
      chart({
        title: '<script>alert(1)</script>',
        description: 'A & B "quoted"',
        categories: [
          { label: "Uke '49'", tick: '<b>' },
          { label: 'x', tick: 'y' },
        ],
      }),
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('A &amp; B &quot;quoted&quot;');
    expect(svg).toContain('Uke &#39;49&#39;: Innvilget automatisk 2');
  });

  it('refuses values that do not fit the categories and series, or are not counts', () => {
    expect(() => renderBarChart(chart({ values: [[1, 2]] }))).toThrow(RangeError);
    expect(() =>
      renderBarChart(
        chart({
          values: [
            [1, -1],
            [0, 0],
          ],
        }),
      ),
    ).toThrow(RangeError);
    expect(() => renderBarChart(chart({ id: 'x"><script' }))).toThrow(TypeError);
  });
});
