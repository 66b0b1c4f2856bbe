import { readFileSync } from 'node:fs';
import { COLOR_SCHEMES, type ColorScheme, type HexColor, type PageColors } from './brand-color';
import type { ColorTools } from './color-tools';

/**
 * The page colour of each scheme in Designsystemet's default theme, the stylesheet the layout
 * links: its `body` is drawn in the neutral background-default, not the accent's, so a brand
 * colour must stand out against this too. Read from the installed theme, so an upgrade of the
 * package is what is checked against.
 */
export function neutralPageColors(tools: ColorTools): PageColors {
  const css = readFileSync(require.resolve('@digdir/designsystemet-css/theme'), 'utf8');
  const colorOf = (scheme: ColorScheme): HexColor => {
    const found = new RegExp(
      `@layer ds\\.theme\\.color-scheme\\.${scheme}\\{[^{]*\\{[^}]*--ds-color-neutral-background-default:(#[0-9a-f]{3,6})[;}]`,
      'i',
    ).exec(css)?.[1];
    if (!found) throw new Error(`no neutral page colour for ${scheme} in the Designsystemet theme`);
    return tools.convertToHex(found).toLowerCase() as HexColor;
  };
  return Object.fromEntries(COLOR_SCHEMES.map((s) => [s, colorOf(s)])) as PageColors;
}
