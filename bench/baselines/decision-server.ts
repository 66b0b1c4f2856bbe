/**
 * Baseline for the decision scenario: POST /fakturaer/:id/utsettelse on bare node:http + pg, doing
 * what the portal's SQL does and nothing else: session row, fresh invoice, earlier request for the
 * same due date, the resident's invoices, payment history and approvals, the default policy (same
 * engine, so the stored facts and trace are the same size), then one transaction: the request, the
 * write-back job for an approval, and the audit entry chained under the head row's lock.
 *
 * Not done here (the portal does them): rolling the session's idle expiry (an UPDATE per request),
 * per-request logging and i18n set-up, Nest's guards, pipes and filters, MikroORM's unit of work.
 *
 * Env: PORT, DATABASE_URL, SESSION_SECRET, MUNICIPALITY_ID, DB_POOL_MAX.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { auditEntryHash, canonicalJson, GENESIS_HASH, sha256Hex } from '../../src/audit/audit-hash';
import { factInput, POLICY_STATUS, alreadyDeferred } from '../../src/deferrals/deferral-facts';
import { parseDeferralForm } from '../../src/deferrals/deferral-form';
import { newDeferralReference } from '../../src/deferrals/deferral-reference';
import { checkInvoice } from '../../src/finance/invoice-consistency';
import type { Invoice, InvoiceSummary } from '../../src/finance/invoice.model';
import { todayInNorway } from '../../src/finance/iso-date';
import { summarizePaymentEvents, type PaymentEvent } from '../../src/finance/payment-history.model';
import { buildFacts } from '../../src/policy/build-facts';
import { DEFAULT_POLICY_FILE } from '../../src/policy/policy-paths';
import { PolicyRegistry } from '../../src/policy/policy-registry';
import {
  createPool,
  CSRF_COOKIE,
  listen,
  parseCookies,
  readBody,
  readEnv,
  send,
  sessionUser,
  validCsrfCookie,
} from './common';

const env = readEnv();
const pool = createPool(env);
const registry = new PolicyRegistry();
registry.replace(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
const ROUTE = /^\/fakturaer\/([^/?]+)\/utsettelse$/;
let policyVersionId: string | undefined;

function summary({ lines: _lines, history: _history, ...rest }: Invoice): InvoiceSummary {
  return rest;
}

async function versionId(hash: string): Promise<string> {
  if (policyVersionId) return policyVersionId;
  const { rows } = await pool.query<{ id: string }>(
    'select id from policy_versions where municipality_id = $1 and hash = $2',
    [env.municipalityId, hash],
  );
  if (!rows[0]) throw new Error('policy version row missing');
  policyVersionId = rows[0].id;
  return policyVersionId;
}

async function decide(
  invoiceId: string,
  cookieHeader: string | undefined,
  rawBody: string,
): Promise<{ status: number; location?: string }> {
  const cookies = parseCookies(cookieHeader);
  const user = await sessionUser(pool, env, cookies);
  if (!user) return { status: 401 };
  const body = Object.fromEntries(new URLSearchParams(rawBody));
  const csrf = cookies.get(CSRF_COOKIE);
  if (!csrf || body._csrf !== csrf || !validCsrfCookie(env.sessionSecret, user.sid, csrf))
    return { status: 403 };

  const today = todayInNorway();
  const m = env.municipalityId;
  const found = await pool.query<{ document: Invoice }>(
    'select document from ledger_invoices where id = $1 and municipality_id = $2 and pid = $3',
    [invoiceId, m, user.pid],
  );
  const invoice = found.rows[0]?.document;
  if (!invoice) return { status: 404 };
  if (checkInvoice(invoice)) return { status: 503 };
  const existing = await pool.query<{ reference: string }>(
    'select reference from deferral_requests where municipality_id = $1 and pid = $2 and invoice_id = $3 and original_due_date = $4',
    [m, user.pid, invoice.id, invoice.dueDate],
  );
  if (existing.rows[0]) return { status: 303, location: `/saker/${existing.rows[0].reference}` };
  const window = registry.allowedWindow({
    today,
    dueDate: invoice.dueDate,
    invoiceStatus: POLICY_STATUS[invoice.status],
    inCollection: invoice.sentToExternal,
    alreadyDeferred: alreadyDeferred(invoice),
  });
  if (!window.allowed) return { status: 409 };
  const parsed = parseDeferralForm(body, today, window);
  if (!parsed.ok) return { status: 400 };

  const [all, events, approvals] = await Promise.all([
    pool.query<{ document: Invoice }>(
      'select document from ledger_invoices where municipality_id = $1 and pid = $2 order by invoice_date desc, invoice_number desc',
      [m, user.pid],
    ),
    pool.query<{
      type: PaymentEvent['type'];
      date: string;
      invoice_id: string;
      invoice_number: string;
      amount_ore: string | null;
      days_late: number | null;
    }>(
      'select type, date, invoice_id, invoice_number, amount_ore, days_late from ledger_payment_events where municipality_id = $1 and pid = $2 order by date asc, id asc',
      [m, user.pid],
    ),
    pool.query<{ invoice_id: string; facts: { today: string } }>(
      "select invoice_id, facts from deferral_requests where municipality_id = $1 and pid = $2 and outcome = 'approved' order by created_at desc limit 100",
      [m, user.pid],
    ),
  ]);
  const allInvoices = all.rows.map((r) => {
    if (checkInvoice(r.document)) throw new Error('inconsistent invoice');
    return summary(r.document);
  });
  const history = summarizePaymentEvents(
    events.rows.map((e) => ({
      type: e.type,
      date: e.date,
      invoiceId: e.invoice_id,
      invoiceNumber: e.invoice_number,
      amountOre: e.amount_ore === null ? null : Number(e.amount_ore),
      daysLate: e.days_late,
    })),
  );
  const ourApprovals = approvals.rows.map((r) => ({
    invoiceId: r.invoice_id,
    decidedOn: r.facts.today,
  }));
  const facts = buildFacts(
    factInput({
      today,
      requestedDueDate: parsed.form.newDueDate,
      invoice,
      allInvoices,
      history,
      ourApprovals,
    }),
  );
  const compiled = registry.active();
  const decision = await registry.evaluate(facts, compiled);
  const policyVersion = await versionId(compiled.hash);

  const id = randomUUID();
  const reference = newDeferralReference();
  const createdAt = new Date();
  const reasons = [...decision.reasons];
  const notices = decision.notices.map((n) => ({ code: n.code, text: { ...n.text } }));
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into deferral_requests (id, municipality_id, reference, pid, invoice_id, invoice_number, invoice_title, amount_ore, original_due_date, requested_due_date,
        outcome, new_due_date, reasons, notices, facts, trace, policy_version_id, language, email, status, created_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,'decided',$20)`,
      [
        id,
        m,
        reference,
        user.pid,
        invoice.id,
        invoice.invoiceNumber,
        invoice.title,
        invoice.outstandingOre,
        invoice.dueDate,
        parsed.form.newDueDate,
        decision.outcome,
        decision.newDueDate,
        JSON.stringify(reasons),
        JSON.stringify(notices),
        JSON.stringify(facts),
        JSON.stringify(decision.trace),
        policyVersion,
        'nb',
        parsed.form.email,
        createdAt,
      ],
    );
    if (decision.outcome === 'approved' && decision.newDueDate) {
      await client.query(
        `insert into writeback_jobs (id, municipality_id, deferral_request_id, invoice_id, pid, new_due_date, reason, idempotency_key, status, attempts, next_attempt_at, created_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,'pending',0,$9,$9)`,
        [
          randomUUID(),
          m,
          id,
          invoice.id,
          user.pid,
          decision.newDueDate,
          `Betalingsutsettelse ${reference}`,
          `deferral-${id}`,
          createdAt,
        ],
      );
    }
    const payload = canonicalJson({
      reference,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoiceNumber,
      requestedDueDate: parsed.form.newDueDate,
      policy: {
        id: decision.policyId,
        version: decision.policyVersion,
        hash: decision.policyHash,
        versionId: policyVersion,
      },
      facts,
      trace: decision.trace,
      outcome: decision.outcome,
      newDueDate: decision.newDueDate,
      reasons,
      language: 'nb',
    });
    let head = (
      await client.query<{ seq: string; hash: string }>(
        'select seq, hash from audit_chain_heads where municipality_id = $1 for update',
        [m],
      )
    ).rows[0];
    if (!head) {
      await client.query(
        'insert into audit_chain_heads (municipality_id, seq, hash, updated_at) values ($1, 0, $2, now()) on conflict do nothing',
        [m, GENESIS_HASH],
      );
      head = (
        await client.query<{ seq: string; hash: string }>(
          'select seq, hash from audit_chain_heads where municipality_id = $1 for update',
          [m],
        )
      ).rows[0];
    }
    const seq = Number(head.seq) + 1;
    const auditAt = new Date();
    const hash = auditEntryHash({
      prevHash: head.hash,
      seq,
      municipalityId: m,
      type: 'deferral.decided',
      subjectId: id,
      createdAtIso: auditAt.toISOString(),
      canonicalPayload: payload,
    });
    await client.query(
      'insert into audit_entries (id, municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at) values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)',
      [
        randomUUID(),
        m,
        seq,
        'deferral.decided',
        id,
        payload,
        sha256Hex(payload),
        head.hash,
        hash,
        auditAt,
      ],
    );
    await client.query(
      'update audit_chain_heads set seq = $2, hash = $3, updated_at = $4 where municipality_id = $1',
      [m, seq, hash, auditAt],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return { status: 303, location: `/saker/${encodeURIComponent(reference)}` };
}

const server = createServer((req, res) => {
  const match = req.method === 'POST' ? ROUTE.exec(req.url ?? '') : null;
  if (!match) return send(res, 404, 'Not found');
  readBody(req)
    .then((body) => decide(decodeURIComponent(match[1]), req.headers.cookie, body))
    .then(
      ({ status, location }) => send(res, status, '', location ? { location } : {}),
      (error: unknown) => {
        console.error(error);
        send(res, 500, 'Internal error');
      },
    );
});

listen(server, env.port, 'decision');
