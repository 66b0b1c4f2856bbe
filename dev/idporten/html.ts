import { DESIGN_STYLESHEETS, STYLESHEET_PATH, type UiLocale } from './idporten.constants';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Marks already-escaped markup so `html` leaves it alone. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation =
  SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

const isList = (value: Interpolation): value is readonly Interpolation[] => Array.isArray(value);

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (isList(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Template tag that escapes every interpolation unless it is SafeHtml (or a list of them). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''),
  );
}

/**
 * The page shell: language, viewport for 360 px screens, Designsystemet's stylesheets (the default
 * Digdir theme, as ID-porten itself looks) and a few lines of its own; no scripts.
 */
export function page(locale: UiLocale, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${locale}" data-color-scheme="auto">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>${title}</title>
        ${DESIGN_STYLESHEETS.map((href) => html`<link rel="stylesheet" href="${href}" />`)}
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}
