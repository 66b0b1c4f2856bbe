import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import type { HelperDelegate, HelperOptions } from 'handlebars';
import type { I18nService } from 'nestjs-i18n';
import { TEMPLATES_DIR } from '../config/paths';
import {
  accountNumberGroups,
  formatIsoDate,
  formatMoment,
  formatNumber,
  formatOre,
  formatPercent,
  kidGroups,
} from './format';
import { TemplateTranslator } from './template-translator';

function registerPartials(dir: string): void {
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.hbs')) continue;
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(dir, file), 'utf8'));
  }
}

/** Handlebars from `templates/`, with the `t` helper reading the request's language. */
export function configureViews(
  app: NestExpressApplication,
  i18n: I18nService<Record<string, unknown>>,
  cache: boolean,
): void {
  app.setBaseViewsDir(TEMPLATES_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  app.set('view cache', cache);
  registerPartials(join(TEMPLATES_DIR, 'partials'));
  const translator = new TemplateTranslator(i18n);
  registerViewHelpers(hbs, (key, lang, args) => translator.t(key, lang, args));
}

/** Where helpers go: `hbs` for the portal, a `Handlebars.create()` for the bench's baseline. */
interface HelperRegistry {
  registerHelper(name: string, helper: HelperDelegate): void;
  handlebars: { SafeString: new (text: string) => unknown };
}

/**
 * The pages' helpers, `t` looking a key up in a language (the portal's is `TemplateTranslator`).
 * The list baseline of `npm run bench` registers these too, so that both render the same page.
 */
export function registerViewHelpers(
  registry: HelperRegistry,
  t: (key: string, lang: string, args: Record<string, unknown>) => string,
): void {
  registry.registerHelper('t', function (this: unknown, key: string, options: HelperOptions) {
    const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'nb';
    return t(key, lang, options.hash as Record<string, unknown>);
  });
  registry.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  registry.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  const langOf = (options: HelperOptions) =>
    (options.data?.root as { lang?: string } | undefined)?.lang ?? 'nb';
  registry.registerHelper('kr', (ore: number, options: HelperOptions) =>
    formatOre(ore, langOf(options)),
  );
  registry.registerHelper('date', (iso: string, options: HelperOptions) =>
    iso ? formatIsoDate(iso, langOf(options), { weekday: options.hash?.weekday === true }) : '',
  );
  registry.registerHelper(
    'moment',
    (moment: Date | string | null | undefined, options: HelperOptions) =>
      moment ? formatMoment(moment, langOf(options)) : '',
  );
  registry.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  registry.registerHelper('number', (value: number, options: HelperOptions) =>
    typeof value === 'number' ? formatNumber(value, langOf(options)) : '',
  );
  registry.registerHelper('percent', (value: number, options: HelperOptions) =>
    typeof value === 'number' ? formatPercent(value, langOf(options)) : '',
  );
  // KID and account numbers as groups of digits, each shown in a box of its own (see app.css).
  registry.registerHelper('kidGroups', (kid: string) => kidGroups(String(kid ?? '')));
  registry.registerHelper('accountGroups', (digits: string) =>
    accountNumberGroups(String(digits ?? '')),
  );
  // A partial's own context: `{{> card (fields a=1 b=x)}}` gives the partial these fields alone.
  // `{{> card a=1 b=x}}` would copy every field of the surrounding context into a new object on
  // each call (Handlebars' `Utils.extend`), ~3 % of a list page's CPU with its invoice cards.
  registry.registerHelper('fields', (options: HelperOptions) => options.hash as unknown);
  registry.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  // ` aria-current="page"` on the menu's link to the page shown, `"true"` on its section's link
  // from a page below it (an invoice under Mine fakturaer); `exact` for a link to a section's start.
  registry.registerHelper(
    'navCurrent',
    function (this: unknown, href: string, options: HelperOptions) {
      const path = (options.data?.root as { currentPath?: string } | undefined)?.currentPath ?? '';
      const exact = (options.hash as { exact?: boolean }).exact === true;
      const current =
        path === href ? 'page' : !exact && path.startsWith(`${href}/`) ? 'true' : null;
      return current ? new registry.handlebars.SafeString(` aria-current="${current}"`) : '';
    },
  );
}
