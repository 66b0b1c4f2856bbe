import { dirname } from 'node:path';

/**
 * URL prefix → folder of the installed design packages the layout links to:
 * `/static/ds/src/index.css` (components), `/static/ds/theme/designsystemet.css` (the default
 * theme's tokens) and `/static/fonts/inter/index.css` (Inter, the system's typeface).
 */
export const DESIGN_ASSETS: Readonly<Record<string, string>> = {
  '/static/ds/': dirname(dirname(require.resolve('@digdir/designsystemet-css'))),
  '/static/fonts/inter/': dirname(require.resolve('@fontsource-variable/inter/index.css')),
};
