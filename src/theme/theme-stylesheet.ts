import { createHash } from 'node:crypto';
import type { ColorScheme, HexColor } from './brand-color';
import type { ColorTools } from './color-tools';

/**
 * Where Designsystemet's default theme (`designsystemet.css`) sets the accent tokens of each scheme:
 * the same cascade layers and selectors, so this sheet, linked after it, takes their place and
 * nothing else changes. `data-color-scheme="auto"` follows the browser through the media queries.
 */
const PLACES: Record<ColorScheme, { layer: string; selector: string }> = {
  light: { layer: 'ds.theme.color-scheme.light', selector: ':root,[data-color-scheme=light]' },
  dark: { layer: 'ds.theme.color-scheme.dark', selector: '[data-color-scheme=dark]' },
};

/**
 * A stylesheet giving Designsystemet's `accent` colour (buttons, links, the header band) the scale
 * the system generates from `color`, for the light and the dark scheme. The focus colours are left
 * alone: the system takes them from the neutral scale, not the accent, and its two rings (one
 * light, one dark) show on any background.
 */
export function accentStylesheet(tools: ColorTools, color: HexColor): string {
  return (['light', 'dark'] as const)
    .map((scheme) => {
      const tokens = tools
        .generateColorScale(color, scheme)
        .map(({ name, hex }) => `--ds-color-accent-${name}:${hex}`)
        .join(';');
      const { layer, selector } = PLACES[scheme];
      return (
        `@layer ${layer}{${selector}{${tokens}}` +
        `@media (prefers-color-scheme:${scheme}){[data-color-scheme=auto]{${tokens}}}}`
      );
    })
    .join('\n');
}

/** Names a stylesheet by its content, so its URL can be cached for good. */
export function stylesheetHash(css: string): string {
  return createHash('sha256').update(css).digest('hex').slice(0, 16);
}
