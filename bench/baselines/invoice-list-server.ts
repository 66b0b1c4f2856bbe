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
import { createServer } from 'node:http';
import { checkInvoice } from '../../src/finance/invoice-consistency';
import type { Invoice, InvoiceSummary } from '../../src/finance/invoice.model';
import { todayInNorway } from '../../src/shared/calendar-date';
import { arrangeInvoices } from '../../src/invoices/invoice-view';
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
import { LANGUAGE_NAMES, renderListPage } from './list-page';

const env = readEnv();
const pool = createPool(env);

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
    paid: view.paid.map((i) => ({ ...i, paidList: true })),
    currentNav: 'invoices',
  };
  return {
    status: 200,
    html: renderListPage(context),
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
