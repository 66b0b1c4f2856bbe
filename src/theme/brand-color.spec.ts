import fc from 'fast-check';
import { BrandColorCheck, COLOR_SCHEMES, type PageColors } from './brand-color';
import { type ColorTools, loadColorTools } from './color-tools';
import { neutralPageColors } from './page-colors';

let tools: ColorTools;
let pages: PageColors;
let checkBrandColor: (value: string) => ReturnType<BrandColorCheck['check']>;
beforeAll(async () => {
  tools = await loadColorTools();
  pages = neutralPageColors(tools);
  const checker = new BrandColorCheck(tools, pages);
  checkBrandColor = (value) => checker.check(value);
});

/** What the portal shows for a colour in one scheme, read from the system's own scale. */
function shown(color: string, scheme: 'light' | 'dark') {
  const scale = tools.generateColorScale(color as `#${string}`, scheme);
  const token = (name: string) => scale.find((entry) => entry.name === name)!.hex;
  return {
    page: token('background-default'),
    base: token('base-default'),
    active: token('base-active'),
    text: token('base-contrast-default'),
  };
}

/** Both rules of the check, written out again from the system's functions. */
function expectPasses(color: string): void {
  for (const scheme of COLOR_SCHEMES) {
    const { page, base, active, text } = shown(color, scheme);
    expect(tools.canTextBeUsedOnColors(base, active)).toBe(true);
    expect(tools.getContrastFromHex(text, base)).toBeGreaterThanOrEqual(4.5);
    expect(tools.getContrastFromHex(text, active)).toBeGreaterThanOrEqual(4.5);
    expect(tools.getContrastFromHex(base, page)).toBeGreaterThanOrEqual(3);
    expect(tools.getContrastFromHex(base, pages[scheme])).toBeGreaterThanOrEqual(3);
  }
}

describe('BrandColorCheck', () => {
  describe('check', () => {
    it.each([['#0b5e7a'], ['#8b1e2d'], ['#0062ba'], ['#0B5E7A']])(
      'keeps %s as it is when it passes in both schemes',
      (configured) => {
        const checked = checkBrandColor(configured);
        expect(checked.adjusted).toBe(false);
        expect(checked.used).toBe(configured.toLowerCase());
        expect(checked.contrast.used).toEqual(checked.contrast.configured);
        expectPasses(checked.used);
      },
    );

    it.each([['#ffe066'], ['#7fb2ff']])(
      'adjusts %s, which fails against the page, to a colour that passes both checks in both schemes',
      (configured) => {
        expect(
          tools.getContrastFromHex(
            shown(configured, 'light').base,
            shown(configured, 'light').page,
          ),
        ).toBeLessThan(3);

        const checked = checkBrandColor(configured);

        expect(checked.adjusted).toBe(true);
        expect(checked.used).toMatch(/^#[0-9a-f]{6}$/);
        expect(checked.used).not.toBe(configured);
        expectPasses(checked.used);
        expect(checked.contrast.configured.some((figures) => !figures.passes)).toBe(true);
        expect(checked.contrast.used.every((figures) => figures.passes)).toBe(true);
      },
    );

    it('adjusts by lightness alone, the smallest step that passes', () => {
      const [hue, saturation, lightness] = tools.hexToHsluv('#ffe066');
      const checked = checkBrandColor('#ffe066');
      const [usedHue, usedSaturation, usedLightness] = tools.hexToHsluv(checked.used);
      expect(usedHue).toBeCloseTo(hue, 0);
      expect(usedSaturation).toBeCloseTo(saturation, -1);
      // Darker gains contrast against a light page; a step less dark would not have passed.
      expect(usedLightness).toBeLessThan(lightness);
      const lessDark = checkBrandColor(
        tools.convertToHex(
          tools.convertColor(`color(--hsluv ${hue} ${saturation} ${usedLightness + 1})`, 'hex'),
        ),
      );
      expect(lessDark.adjusted).toBe(true);
    });

    it('reports the contrast figures of each scheme', () => {
      const { contrast } = checkBrandColor('#0b5e7a');
      expect(contrast.configured.map((figures) => figures.scheme)).toEqual(['light', 'dark']);
      const light = contrast.configured[0];
      expect(light.againstPage).toBeCloseTo(
        tools.getContrastFromHex(shown('#0b5e7a', 'light').base, '#ffffff'),
        2,
      );
      expect(light.text).toBeGreaterThanOrEqual(4.5);
    });

    it('finds a passing colour for any colour an operator might configure', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffff }), (rgb) => {
          const checked = checkBrandColor(`#${rgb.toString(16).padStart(6, '0')}`);
          expect(checked.contrast.used.every((figures) => figures.passes)).toBe(true);
        }),
        { numRuns: 60 },
      );
    });

    it.each([['blue'], ['#fff'], ['0b5e7a'], ['#0b5e7g'], ['#0b5e7a00'], ['']])(
      'refuses %p, which is not a #rrggbb colour',
      (value) => {
        expect(() => checkBrandColor(value)).toThrow(/#rrggbb/);
      },
    );
  });
});

describe('neutralPageColors', () => {
  it('reads the page colour of each scheme from the installed default theme', () => {
    expect(pages).toEqual({ light: '#ffffff', dark: '#17181a' });
  });
});
