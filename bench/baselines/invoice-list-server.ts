/**
 * Baseline for the invoice list: GET /fakturaer on bare node:http + pg. The same session row, the
 * same query, the same consistency check and ordering (arrangeInvoices), and the same HTML: the
 * portal's Handlebars templates (page, layout, partials) compiled once, with the same helpers and
 * translations, and a CSRF token for the logout form made as csrf-csrf makes it. Both queries
 * are named statements (parsed and planned once per connection).
 *
 * Not done here: rolling the session's idle expiry, helmet's headers, nestjs-i18n's lookups and
 * fallbacks (a plain nested lookup instead), Nest and Express routing, per-request logging.
 *
 * Env: PORT, DATABASE_URL, SESSION_SECRET, MUNICIPALITY_ID, DB_POOL_MAX.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';
import Handlebars, { type HelperOptions } from 'handlebars';
import { I18N_DIR, TEMPLATES_DIR } from '../../src/config/paths';
import { checkInvoice } from '../../src/finance/invoice-consistency';
import type { Invoice, InvoiceSummary } from '../../src/finance/invoice.model';
import { todayInNorway } from '../../src/shared/calendar-date';
import { arrangeInvoices } from '../../src/invoices/invoice-view';
import {
  accountNumberGroups,
  formatIsoDate,
  formatMoment,
  formatNumber,
  formatOre,
  formatPercent,
  kidGroups,
} from '../../src/web/format';
import {
  createPool,
  CSRF_COOKIE,
  listen,
  csrfBinding,
  newCsrfToken,
  parseCookies,
  readEnv,
  send,
  sessionUser,
  validCsrfCookie,
} from './common';

const env = readEnv();
const pool = createPool(env);

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
const langOf = (options: HelperOptions) =>
  (options.data?.root as { lang?: string } | undefined)?.lang ?? 'nb';
hb.registerHelper('t', (key: string, options: HelperOptions) =>
  t(key, langOf(options), options.hash as Record<string, unknown>),
);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
hb.registerHelper('kr', (ore: number, options: HelperOptions) => formatOre(ore, langOf(options)));
// The portal's helpers (src/web/view-engine.ts), all of them: the layout and partials use more
// than the list page itself (the menu's navCurrent, for one).
hb.registerHelper('date', (iso: string, options: HelperOptions) =>
  iso ? formatIsoDate(iso, langOf(options), { weekday: options.hash?.weekday === true }) : '',
);
hb.registerHelper('moment', (moment: Date | string | null | undefined, options: HelperOptions) =>
  moment ? formatMoment(moment, langOf(options)) : '',
);
hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
hb.registerHelper('number', (value: number, options: HelperOptions) =>
  typeof value === 'number' ? formatNumber(value, langOf(options)) : '',
);
hb.registerHelper('percent', (value: number, options: HelperOptions) =>
  typeof value === 'number' ? formatPercent(value, langOf(options)) : '',
);
hb.registerHelper('kidGroups', (kid: string) => kidGroups(String(kid ?? '')));
hb.registerHelper('accountGroups', (digits: string) => accountNumberGroups(String(digits ?? '')));
hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hb.registerHelper('navCurrent', function (this: unknown, href: string, options: HelperOptions) {
  const path = (options.data?.root as { currentPath?: string } | undefined)?.currentPath ?? '';
  const exact = (options.hash as { exact?: boolean }).exact === true;
  const current = path === href ? 'page' : !exact && path.startsWith(`${href}/`) ? 'true' : null;
  return current ? new Handlebars.SafeString(` aria-current="${current}"`) : '';
});
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
const LANGUAGE_NAMES =
  translations.nb.common && typeof translations.nb.common === 'object'
    ? (translations.nb.common.languages as Record<string, string>)
    : {};

let municipality: Record<string, unknown> | undefined;
async function loadMunicipality(): Promise<Record<string, unknown>> {
  if (municipality) return municipality;
  const { rows } = await pool.query<{
    id: string;
    slug: string;
    name: string;
    org_number: string;
    contact_email: string;
    contact_phone: string;
    settings: Record<string, unknown>;
  }>(
    'select id, slug, name, org_number, contact_email, contact_phone, settings from municipalities where id = $1',
    [env.municipalityId],
  );
  const m = rows[0];
  municipality = {
    id: m.id,
    slug: m.slug,
    name: m.name,
    orgNumber: m.org_number,
    contactEmail: m.contact_email,
    contactPhone: m.contact_phone,
    settings: m.settings,
  };
  return municipality;
}

function summary({ lines: _lines, history: _history, ...rest }: Invoice): InvoiceSummary {
  return rest;
}

async function invoicesPage(
  cookieHeader: string | undefined,
  url: string,
): Promise<{ status: number; html?: string; setCookie?: string }> {
  const cookies = parseCookies(cookieHeader);
  const user = await sessionUser(pool, env, cookies);
  if (!user) return { status: 401 };
  const m = await loadMunicipality();
  // The portal's list query: the summaries, and the document only where a summary is missing or
  // names another due date than the row (see embedded-ledger.finance-system.ts).
  const { rows } = await pool.query<{ summary: string | null; document: string | null }>({
    name: 'invoices',
    text: `select summary, case when summary is null or summary not like ('%"dueDate":"' || due_date || '"%') then document end as document
      from ledger_invoices where municipality_id = $1 and pid = $2 order by invoice_date desc, invoice_number desc`,
    values: [env.municipalityId, user.pid],
  });
  const invoices = rows.map((r) => {
    const read = JSON.parse(r.document ?? r.summary!) as Invoice | InvoiceSummary;
    if (checkInvoice(read)) throw new Error('inconsistent invoice');
    return r.document === null ? read : summary(read as Invoice);
  });
  const view = arrangeInvoices(invoices, todayInNorway());
  const cookieToken = cookies.get(CSRF_COOKIE);
  const csrfToken = validCsrfCookie(env.sessionSecret, csrfBinding(env, user.sid), cookieToken)
    ? (cookieToken as string)
    : newCsrfToken(env.sessionSecret, csrfBinding(env, user.sid));
  const lang = 'nb';
  const context: Record<string, unknown> = {
    municipality: m,
    signedIn: true,
    userName: user.name,
    lang,
    returnPath: encodeURIComponent(url),
    currentPath: '/fakturaer',
    languages: ['nb', 'nn', 'en'].map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      current: code === lang,
    })),
    csrfToken,
    titleKey: 'invoices.title',
    ...view,
    // As the portal's controller: an open invoice in collection names its agency.
    open: view.open.map((i) => ({ ...i, collector: i.inCollection ? i.collectionAgency : null })),
    currentNav: 'invoices',
  };
  context.body = page(context, runtime);
  return {
    status: 200,
    html: layout(context, runtime),
    setCookie: `${CSRF_COOKIE}=${csrfToken}; Path=/; HttpOnly; Secure; SameSite=Lax`,
  };
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/fakturaer')
    return send(res, 404, 'Not found');
  invoicesPage(req.headers.cookie, req.url ?? '/fakturaer').then(
    ({ status, html, setCookie }) =>
      html
        ? send(res, status, html, {
            'content-type': 'text/html; charset=utf-8',
            'set-cookie': setCookie ?? '',
          })
        : send(res, status),
    (error: unknown) => {
      console.error(error);
      send(res, 500, 'Internal error');
    },
  );
});

listen(server, env.port, 'invoice list');
