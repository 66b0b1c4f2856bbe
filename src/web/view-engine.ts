import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import type { HelperOptions } from 'handlebars';
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
  hbs.registerHelper('t', function (this: unknown, key: string, options: HelperOptions) {
    const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'nb';
    return translator.t(key, lang, options.hash as Record<string, unknown>);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  const langOf = (options: HelperOptions) =>
    (options.data?.root as { lang?: string } | undefined)?.lang ?? 'nb';
  hbs.registerHelper('kr', (ore: number, options: HelperOptions) =>
    formatOre(ore, langOf(options)),
  );
  hbs.registerHelper('date', (iso: string, options: HelperOptions) =>
    iso ? formatIsoDate(iso, langOf(options), { weekday: options.hash?.weekday === true }) : '',
  );
  hbs.registerHelper(
    'moment',
    (moment: Date | string | null | undefined, options: HelperOptions) =>
      moment ? formatMoment(moment, langOf(options)) : '',
  );
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('number', (value: number, options: HelperOptions) =>
    typeof value === 'number' ? formatNumber(value, langOf(options)) : '',
  );
  hbs.registerHelper('percent', (value: number, options: HelperOptions) =>
    typeof value === 'number' ? formatPercent(value, langOf(options)) : '',
  );
  // KID and account numbers as groups of digits, each shown in a box of its own (see app.css).
  hbs.registerHelper('kidGroups', (kid: string) => kidGroups(String(kid ?? '')));
  hbs.registerHelper('accountGroups', (digits: string) =>
    accountNumberGroups(String(digits ?? '')),
  );
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  // ` aria-current="page"` on the menu's link to the page shown, `"true"` on its section's link
  // from a page below it (an invoice under Mine fakturaer); `exact` for a link to a section's start.
  hbs.registerHelper('navCurrent', function (this: unknown, href: string, options: HelperOptions) {
    const path = (options.data?.root as { currentPath?: string } | undefined)?.currentPath ?? '';
    const exact = (options.hash as { exact?: boolean }).exact === true;
    const current = path === href ? 'page' : !exact && path.startsWith(`${href}/`) ? 'true' : null;
    return current ? new hbs.handlebars.SafeString(` aria-current="${current}"`) : '';
  });
}
