/**
 * Baseline for the decision scenario: POST /fakturaer/:id/utsettelse on bare node:http + pg, doing
 * what the portal's SQL does and nothing else: session row, fresh invoice, earlier request for the
 * same due date, the resident's invoices, payment history and approvals, the default policy (same
 * engine, so the stored facts and trace are the same size), then, as the portal does, a group
 * commit: the decisions that arrive while a batch commits go together in one transaction with
 * their requests, write-back jobs and audit entries chained under one lock of the head row.
 *
 * Not done here (the portal does them): rolling the session's idle expiry (an UPDATE when the
 * stored expiry is a minute or more behind), per-request logging and i18n set-up, Nest's guards,
 * pipes and filters, MikroORM's unit of work.
 *
 * Env: PORT, DATABASE_URL, SESSION_SECRET, MUNICIPALITY_ID, DB_POOL_MAX.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../../src/audit/audit-hash';
import { canonicalJson } from '../../src/shared/canonical-json';
import { decisionAuditPayload } from '../../src/deferrals/decision-audit-payload';
import { factInput, POLICY_STATUS, alreadyDeferred } from '../../src/deferrals/deferral-facts';
import { parseDeferralForm } from '../../src/deferrals/deferral-form';
import { newDeferralReference } from '../../src/deferrals/deferral-reference';
import { GroupCommit, type ItemResult } from '../../src/database/group-commit';
import { checkInvoice } from '../../src/finance/invoice-consistency';
import type { Invoice, InvoiceSummary } from '../../src/finance/invoice.model';
import { todayInNorway } from '../../src/shared/calendar-date';
import { summarizePaymentEvents, type PaymentEvent } from '../../src/finance/payment-history.model';
import { buildFacts } from '../../src/policy/engine/build-facts';
import { DEFAULT_POLICY_FILE } from '../../src/policy/loading/policy-paths';
import { PolicyRegistry } from '../../src/policy/engine/policy-registry';
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
  csrfBinding,
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

interface Draft {
  request: unknown[];
  job?: unknown[];
  subjectId: string;
  /** Canonical JSON. */
  payload: string;
}

/** `insert into <table> (<columns>) values ($1, …), (…)` for several rows. */
function insertRows(table: string, columns: string, rows: unknown[][]): [string, unknown[]] {
  const values: unknown[] = [];
  const groups = rows.map((row) => {
    const start = values.length;
    values.push(...row);
    return `(${row.map((_, i) => `$${start + i + 1}`).join(',')})`;
  });
  return [`insert into ${table} (${columns}) values ${groups.join(',')}`, values];
}

/**
 * The portal's group commit, in plain SQL: the decisions that arrive while a batch commits go in
 * the next one, with their requests, jobs and chained audit entries, under one head lock.
 */
async function commitBatch(drafts: Draft[]): Promise<ItemResult<void>[]> {
  const m = env.municipalityId;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      ...insertRows(
        'deferral_requests',
        'id, municipality_id, reference, pid, invoice_id, invoice_number, invoice_title, amount_ore, original_due_date, requested_due_date, outcome, new_due_date, reasons, notices, facts, trace, policy_version_id, language, email, status, created_at',
        drafts.map((d) => d.request),
      ),
    );
    const jobs = drafts.flatMap((d) => (d.job ? [d.job] : []));
    if (jobs.length > 0)
      await client.query(
        ...insertRows(
          'writeback_jobs',
          'id, municipality_id, deferral_request_id, invoice_id, pid, new_due_date, reason, idempotency_key, status, attempts, next_attempt_at, created_at',
          jobs,
        ),
      );
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
    let seq = Number(head.seq);
    let prev = head.hash;
    const auditAt = new Date();
    const entries = drafts.map((d) => {
      seq++;
      const payloadHash = sha256Hex(d.payload);
      const hash = auditEntryHash({
        prevHash: prev,
        seq,
        municipalityId: m,
        type: 'deferral.decided',
        subjectId: d.subjectId,
        createdAtIso: auditAt.toISOString(),
        payloadHash,
      });
      const row = [
        randomUUID(),
        m,
        seq,
        'deferral.decided',
        d.subjectId,
        d.payload,
        payloadHash,
        prev,
        hash,
        auditAt,
      ];
      prev = hash;
      return row;
    });
    await client.query(
      ...insertRows(
        'audit_entries',
        'id, municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at',
        entries,
      ),
    );
    await client.query(
      'update audit_chain_heads set seq = $2, hash = $3, updated_at = $4 where municipality_id = $1',
      [m, seq, prev, auditAt],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return drafts.map(() => ({ ok: true, value: undefined }));
}

const commits = new GroupCommit<Draft, void>(commitBatch, { maxBatch: 64, concurrency: 2 });

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
  if (
    !csrf ||
    body._csrf !== csrf ||
    !validCsrfCookie(env.sessionSecret, csrfBinding(env, user.sid), csrf)
  )
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
  await commits.submit({
    request: [
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
      'decided',
      createdAt,
    ],
    job:
      decision.outcome === 'approved' && decision.newDueDate
        ? [
            randomUUID(),
            m,
            id,
            invoice.id,
            user.pid,
            decision.newDueDate,
            `Betalingsutsettelse ${reference}`,
            `deferral-${id}`,
            'pending',
            0,
            createdAt,
            createdAt,
          ]
        : undefined,
    subjectId: id,
    payload: canonicalJson(
      decisionAuditPayload({
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
      }),
    ),
  });
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
