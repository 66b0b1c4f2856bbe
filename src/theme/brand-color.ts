import type { ColorTools } from './color-tools';

export const COLOR_SCHEMES = ['light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];
export type HexColor = `#${string}`;
/** The colour of the page in each scheme (see `neutralPageColors`). */
export type PageColors = Record<ColorScheme, HexColor>;

/** WCAG 2.1 AA: 1.4.3 for text, 1.4.11 for a solid component (button, header band) on the page. */
const TEXT_CONTRAST = 4.5;
const COMPONENT_CONTRAST = 3;
/**
 * HSLuv lightness, the measure Designsystemet builds its scales on, runs from 0 to 100. The search
 * for an adjusted colour steps it coarsely, then finely within the first coarse step that passes:
 * each try generates two scales (about a millisecond each), and a fine scan over the whole range
 * took a few hundred milliseconds for a pale yellow.
 */
const COARSE_STEP = 4;
const FINE_STEP = 0.5;

/** How a colour's scale fares in one scheme. */
export interface SchemeContrast {
  scheme: ColorScheme;
  /** The scale's text colour on base-default and on base-active (the lower of the two). */
  text: number;
  /**
   * base-default against the page: the lower of its contrast with the accent's own
   * background-default and with the page colour of the scheme (the neutral background-default).
   */
  againstPage: number;
  passes: boolean;
}

export interface CheckedBrandColor {
  /** As configured, in lower case. */
  configured: HexColor;
  /** The colour the theme is generated from: the configured one, or its adjusted lightness. */
  used: HexColor;
  adjusted: boolean;
  contrast: { configured: SchemeContrast[]; used: SchemeContrast[] };
}

export function isHexColor(value: unknown): value is HexColor {
  return typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value);
}

/**
 * Checks a municipality's brand colour against WCAG AA in the light and the dark scheme, and
 * adjusts one that fails, using the scales Designsystemet itself generates for it.
 */
export class BrandColorCheck {
  constructor(
    private readonly tools: ColorTools,
    private readonly pages: PageColors,
  ) {}

  /** Throws on a value that is not `#rrggbb` (settings are validated before). */
  check(value: string): CheckedBrandColor {
    if (!isHexColor(value)) throw new RangeError(`a brand colour is written #rrggbb, got ${value}`);
    const configured = value.toLowerCase() as HexColor;
    const contrast = this.contrastOf(configured);
    if (contrast.every((figures) => figures.passes)) {
      return {
        configured,
        used: configured,
        adjusted: false,
        contrast: { configured: contrast, used: contrast },
      };
    }
    const used = this.nearestPassing(configured);
    if (!used) throw new RangeError(`no colour near ${configured} passes WCAG AA contrast`);
    return {
      configured,
      used,
      adjusted: true,
      contrast: { configured: contrast, used: this.contrastOf(used) },
    };
  }

  private contrastOf(color: HexColor): SchemeContrast[] {
    return COLOR_SCHEMES.map((scheme) => this.schemeContrast(color, scheme));
  }

  /**
   * The scheme's figures for a colour, read from the scale Designsystemet generates for it: the
   * text on the base colours (the system's `canTextBeUsedOnColors`, and the text colour the scale
   * actually picks, which must pass on both) and base-default against the page.
   */
  private schemeContrast(color: HexColor, scheme: ColorScheme): SchemeContrast {
    const { tools } = this;
    const scale = tools.generateColorScale(color, scheme);
    const token = (name: string) => scale.find((entry) => entry.name === name)!.hex;
    const base = token('base-default');
    const active = token('base-active');
    const textColor = token('base-contrast-default');
    const text = Math.min(
      tools.getContrastFromHex(textColor, base),
      tools.getContrastFromHex(textColor, active),
    );
    const againstPage = Math.min(
      tools.getContrastFromHex(base, token('background-default')),
      tools.getContrastFromHex(base, this.pages[scheme]),
    );
    const passes =
      tools.canTextBeUsedOnColors(base, active) &&
      text >= TEXT_CONTRAST &&
      againstPage >= COMPONENT_CONTRAST;
    return { scheme, text, againstPage, passes };
  }

  /**
   * The nearest colour that passes, by lightness alone (hue and saturation kept): darker and
   * lighter in turn at each distance, darker first, so the first that passes is the smallest change
   * in the direction that gains contrast. The coarse scan finds the first step of `COARSE_STEP`
   * with a passing colour; the fine scan then finds the smallest distance within it.
   */
  private nearestPassing(color: HexColor): HexColor | undefined {
    const [rawHue, rawSaturation, lightness] = this.tools.hexToHsluv(color);
    const hue = Number.isFinite(rawHue) ? rawHue : 0;
    const saturation = Number.isFinite(rawSaturation) ? rawSaturation : 0;
    const passingAt = (distance: number): HexColor | undefined => {
      for (const candidate of [lightness - distance, lightness + distance]) {
        if (candidate < 0 || candidate > 100) continue;
        const hex = this.withLightness(hue, saturation, candidate);
        if (this.contrastOf(hex).every((figures) => figures.passes)) return hex;
      }
      return undefined;
    };
    for (let coarse = COARSE_STEP; coarse < 100 + COARSE_STEP; coarse += COARSE_STEP) {
      if (!passingAt(Math.min(coarse, 100))) continue;
      for (let fine = coarse - COARSE_STEP + FINE_STEP; fine <= coarse; fine += FINE_STEP) {
        const found = passingAt(Math.min(fine, 100));
        if (found) return found;
      }
    }
    return undefined;
  }

  /** The colour with the same HSLuv hue and saturation at another lightness. */
  private withLightness(hue: number, saturation: number, lightness: number): HexColor {
    const hex = this.tools.convertColor(`color(--hsluv ${hue} ${saturation} ${lightness})`, 'hex');
    return this.tools.convertToHex(hex).toLowerCase() as HexColor;
  }
}
