import { type HexColor, isHexColor } from './brand-color';

/** What a municipality's `settings.theme` holds once checked. */
export interface ThemeSettings {
  /** Lower case `#rrggbb`; Designsystemet's accent colour is generated from it. */
  brandColor?: HexColor;
  /** A file name in `public/logos/`. */
  logo?: string;
}

export type ThemeSettingsResult =
  { ok: true; settings: ThemeSettings } | { ok: false; problem: string };

export interface ThemeTenant {
  slug: string;
  settings: Record<string, unknown>;
}

const KNOWN_KEYS = new Set(['brandColor', 'logo']);
/** A plain file name: no folder, no leading dot, nothing a URL or a shell would read twice. */
const LOGO_FILE = /^[a-z0-9][a-z0-9._-]{0,99}\.(svg|png)$/i;

/** Settings are loose JSON edited by operators: show what was found, short and on one line. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The municipality's theme settings, or one line naming the municipality and the setting that is
 * wrong. `logoExists` tells whether a file of that name is in `public/logos/`. A key it does not
 * know is refused too: a misspelt `brandColour` would otherwise be ignored without a word.
 */
export function themeSettingsOf(
  tenant: ThemeTenant,
  logoExists: (file: string) => boolean,
): ThemeSettingsResult {
  const refuse = (problem: string): ThemeSettingsResult => ({
    ok: false,
    problem: `municipality ${tenant.slug}: ${problem}`,
  });
  const theme = tenant.settings.theme;
  if (theme === undefined) return { ok: true, settings: {} };
  if (typeof theme !== 'object' || theme === null || Array.isArray(theme)) {
    return refuse(
      `settings.theme must be an object like {"brandColor":"#0b5e7a","logo":"x.svg"}, got ${shown(theme)}`,
    );
  }
  const raw = theme as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !KNOWN_KEYS.has(key));
  if (unknown !== undefined) {
    return refuse(
      `settings.theme has a key it does not know: ${shown(unknown)} (known: brandColor, logo)`,
    );
  }
  const settings: ThemeSettings = {};
  if (raw.brandColor !== undefined) {
    if (!isHexColor(raw.brandColor)) {
      return refuse(
        `settings.theme.brandColor must be a colour written #rrggbb, got ${shown(raw.brandColor)}`,
      );
    }
    settings.brandColor = raw.brandColor.toLowerCase() as HexColor;
  }
  if (raw.logo !== undefined) {
    if (typeof raw.logo !== 'string' || !LOGO_FILE.test(raw.logo)) {
      return refuse(
        `settings.theme.logo must be the name of an .svg or .png file in public/logos/, got ${shown(raw.logo)}`,
      );
    }
    if (!logoExists(raw.logo)) {
      return refuse(`settings.theme.logo names public/logos/${raw.logo}, which does not exist`);
    }
    settings.logo = raw.logo;
  }
  return { ok: true, settings };
}
