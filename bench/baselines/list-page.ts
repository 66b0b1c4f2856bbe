/**
 * The invoice list page as the portal renders it, without the portal: its Handlebars templates
 * (page, layout, partials) compiled once, the same helpers and translations (a plain nested lookup
 * instead of nestjs-i18n's). Used by the list baseline and the HTTP adapter experiment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { I18N_DIR, TEMPLATES_DIR } from '../../src/config/paths';
import { registerViewHelpers } from '../../src/web/view-engine';

type Tree = { [key: string]: string | Tree };
const translations: Record<string, Tree> = {};
for (const lang of ['nb', 'nn', 'en']) {
  const tree: Tree = {};
  for (const file of readdirSync(join(I18N_DIR, lang))) {
    if (file.endsWith('.json'))
      tree[basename(file, '.json')] = JSON.parse(
        readFileSync(join(I18N_DIR, lang, file), 'utf8'),
      ) as Tree;
  }
  translations[lang] = tree;
}

function t(key: string, lang: string, args: Record<string, unknown>): string {
  let node: string | Tree | undefined = translations[lang] ?? translations.nb;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in args ? String(args[name]) : whole,
  );
}

const hb = Handlebars.create();
// The portal's helpers, all of them (the layout and partials use more than the list page itself).
registerViewHelpers(
  { registerHelper: (name, helper) => hb.registerHelper(name, helper), handlebars: Handlebars },
  t,
);
for (const file of readdirSync(join(TEMPLATES_DIR, 'partials'))) {
  if (file.endsWith('.hbs'))
    hb.registerPartial(
      basename(file, '.hbs'),
      readFileSync(join(TEMPLATES_DIR, 'partials', file), 'utf8'),
    );
}
const page = hb.compile(readFileSync(join(TEMPLATES_DIR, 'pages', 'invoices.hbs'), 'utf8'));
const layout = hb.compile(readFileSync(join(TEMPLATES_DIR, 'layouts', 'main.hbs'), 'utf8'));
const runtime = { allowProtoMethodsByDefault: true, allowProtoPropertiesByDefault: true };
export const LANGUAGE_NAMES =
  translations.nb.common && typeof translations.nb.common === 'object'
    ? (translations.nb.common.languages as Record<string, string>)
    : {};

/** The page inside the layout, as the portal's `@Render('pages/invoices')` sends it. */
export function renderListPage(context: Record<string, unknown>): string {
  context.body = page(context, runtime);
  return layout(context, runtime);
}
