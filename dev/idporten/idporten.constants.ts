/** What ID-porten offers and where; kept in one place so the page, the policy and the tests agree. */

/** Ordered from lowest to highest: ID-porten never returns a lower level than the client asked for. */
export const LEVELS_OF_ASSURANCE = ['idporten-loa-substantial', 'idporten-loa-high'] as const;
export type LevelOfAssurance = (typeof LEVELS_OF_ASSURANCE)[number];

export const UI_LOCALES = ['nb', 'nn', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** The test login method, as ID-porten reports it in `amr`. */
export const TEST_AMR = 'TestID';

/** oidc-provider's route names mapped to ID-porten's paths. */
export const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  end_session: '/endsession',
  revocation: '/revoke',
  introspection: '/tokeninfo',
  pushed_authorization_request: '/par',
} as const;

/** The login page lives here: oidc-provider scopes its interaction cookie to this path. */
export const INTERACTION_PATH = '/interaction';
export const STYLESHEET_PATH = '/assets/testid.css';
/** Designsystemet's typeface, components and default theme, served from the installed packages. */
export const DESIGN_ASSETS_PATH = '/assets/design/';
export const DESIGN_STYLESHEETS = [
  `${DESIGN_ASSETS_PATH}fonts/inter/index.css`,
  `${DESIGN_ASSETS_PATH}ds/src/index.css`,
  `${DESIGN_ASSETS_PATH}ds/theme/designsystemet.css`,
] as const;
/** Where the end-session page sends the browser to finish logging out without asking. */
export const LOGOUT_CONTINUE_PATH = `${ROUTES.end_session}/continue`;

export function isLevelOfAssurance(value: unknown): value is LevelOfAssurance {
  return (LEVELS_OF_ASSURANCE as readonly unknown[]).includes(value);
}

/** The lowest level among those the client asked for (space-separated `acr_values`). */
export function requestedLevel(acrValues: unknown): LevelOfAssurance {
  const asked = (typeof acrValues === 'string' ? acrValues : '')
    .split(' ')
    .filter(isLevelOfAssurance);
  return LEVELS_OF_ASSURANCE.find((level) => asked.includes(level)) ?? LEVELS_OF_ASSURANCE[0];
}

export function levelSatisfies(actual: unknown, required: LevelOfAssurance): boolean {
  return (
    isLevelOfAssurance(actual) &&
    LEVELS_OF_ASSURANCE.indexOf(actual) >= LEVELS_OF_ASSURANCE.indexOf(required)
  );
}

/** The first of the client's `ui_locales` that the page speaks; bokmål otherwise. */
export function pickUiLocale(uiLocales: unknown): UiLocale {
  const asked = (typeof uiLocales === 'string' ? uiLocales : '').split(' ');
  return UI_LOCALES.find((locale) => asked.includes(locale)) ?? 'nb';
}
