/**
 * Baseline for the decision scenario: POST /fakturaer/:id/utsettelse on bare node:http + pg, with
 * the portal's guarantees and the leanest SQL that keeps them, so that it is the real limit of
 * this machine and schema (issue 18, item 1), the bar the portal is measured against:
 *
 * - The session (signed cookie, sealed row, expiry), the CSRF double submit, the fresh invoice
 *   checked for consistency with the resident's other invoices, their payment history, their
 *   earlier requests on this invoice (a repeat POST is answered with the decision already made)
 *   and their approvals of the last 13 months, all in ONE read round trip: one named statement
 *   whose sub-selects return the session row, the invoices (one `json_agg` of the documents, the
 *   target among them: read once, not twice), the payment events and the requests. The session's
 *   resident is sealed in the row, so SQL cannot join on it: the statement reads the data of the
 *   invoice's owner, and the server answers 404 unless that is the session's resident, as the
 *   portal answers for a foreign invoice. Nothing of it leaves the server otherwise.
 * - The same policy engine and facts (`buildFacts`, `PolicyRegistry.evaluate`).
 * - The portal's group commit: the decisions that arrive while a batch commits go together, in one
 *   transaction of three round trips, all under the head lock: `begin` + lock the municipality's
 *   audit chain head; one named statement inserting the requests, the approvals' write-back jobs
 *   and the chained audit entries (`unnest` of arrays, so its text, and so its plan, is the same
 *   for any batch size) and moving the head; `commit`.
 * - A unique key broken in a batch (two tabs on one invoice at once) makes each of its decisions
 *   go on its own, as the portal's do; the loser is sent to the decision that got there first.
 *
 * Not done here (the portal does them): rolling the session's idle expiry (an UPDATE when the
 * stored expiry is a minute or more behind), the e-mail receipt (the bench's form has no address),
 * per-request logging and i18n set-up, Nest's guards, pipes and filters, MikroORM's unit of work.
 *
 * Env: PORT, DATABASE_URL, SESSION_SECRET, MUNICIPALITY_ID, DB_POOL_MAX.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { PoolClient } from 'pg';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../../src/audit/audit-hash';
import { newAuditSalt } from '../../src/audit/salted-hash';
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
  csrfBinding,
  jsonColumnTypes,
  jsonValue,
  listen,
  openSession,
  parseCookies,
  readBody,
  readEnv,
  send,
  sessionId,
  validCsrfCookie,
} from './common';

const env = readEnv();
const pool = createPool(env);
const registry = new PolicyRegistry();
registry.replace(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
const ROUTE = /^\/fakturaer\/([^/?]+)\/utsettelse$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As the portal: approvals of the last 13 months and a bit count (the policy looks at 6 and 12). */
const APPROVALS_LOOKBACK_MS = 400 * 24 * 3600_000;
let policyVersionId: string | undefined;

if (!UUID.test(env.municipalityId)) throw new Error('MUNICIPALITY_ID must be a uuid');

/**
 * Everything a decision reads, in one statement. The invoice's owner is found by its id (the
 * primary key); the sub-selects then use the (municipality_id, pid) indexes of each table.
 * Each list comes as one value, so the many documents cost one column, not a row each: the
 * documents joined into one JSON array as text (as stored when the column is text, rendered when
 * it is jsonb; the schema has had both), parsed here with one JSON.parse; the short lists with
 * `json_agg`. The session's sealed data comes as text for the same reason. As the portal reads
 * them: each invoice's summary, the whole document only for the invoice decided on (or where a
 * summary is missing or stale, see embedded-ledger.finance-system.ts).
 */
const READ = {
  name: 'decision-read',
  text: `with owner as (
  select pid from ledger_invoices where id = $2 and municipality_id = $3
)
select
  (select json_build_array(data::text, expires_at) from sessions where id = $1) as session,
  (select pid from owner) as pid,
  (select '[' || string_agg(case when id = $2 or summary is null or summary not like ('%"dueDate":"' || due_date || '"%') then document::text else summary end, ',' order by invoice_date desc, invoice_number desc) || ']'
     from ledger_invoices where municipality_id = $3 and pid = (select pid from owner)) as invoices,
  (select coalesce(json_agg(json_build_array(type, date, invoice_id, invoice_number, amount_ore, days_late) order by date, id), '[]')
     from ledger_payment_events where municipality_id = $3 and pid = (select pid from owner)) as events,
  (select coalesce(json_agg(json_build_array(invoice_id, outcome, original_due_date, new_due_date, coalesce(decided_on, cast(facts as jsonb)->>'today'), reference) order by created_at desc), '[]')
     from deferral_requests
    where municipality_id = $3 and pid = (select pid from owner)
      and (invoice_id = $2 or (outcome = 'approved' and created_at >= $4))) as requests`,
};

interface ReadRow {
  /** The sealed data (as text, whatever the column's type) and the expiry. */
  session: [string, string] | null;
  pid: string | null;
  /** The documents as one JSON array, text as stored (jsonb rendered), none: null. */
  invoices: string | null;
  events: [PaymentEvent['type'], string, string, string, number | string | null, number | null][];
  /** invoice_id, outcome, original_due_date, new_due_date, decided on, reference; newest first. */
  requests: [string, string, string, string | null, string, string][];
}

const REQUEST_COLUMNS =
  'id, municipality_id, reference, pid, invoice_id, invoice_number, invoice_title, amount_ore, original_due_date, requested_due_date, outcome, policy_outcome, new_due_date, reasons, notices, facts, trace, policy_version_id, decided_on, language, email, status, sent_to_officer_at, audit_salt, created_at';
const JOB_COLUMNS =
  'id, municipality_id, deferral_request_id, invoice_id, pid, new_due_date, reason, idempotency_key, status, attempts, next_attempt_at, created_at, audit_salt';
/** Keyed by (municipality_id, seq): the chain's own order is the key. */
const ENTRY_COLUMNS =
  'municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at';

/**
 * The whole write of a batch in one statement of fixed text: each table's rows as parallel arrays
 * (`unnest`), the municipality once, then the head moved. Data-modifying CTEs all run, read or
 * not. Parameters are cast where PostgreSQL could not infer them the same way at every use.
 */
function writeStatement(requestTypes: Record<string, string>, entryTypes: Record<string, string>) {
  const r = (column: string) => jsonValue(`r.${column}`, requestTypes[column]);
  return {
    name: 'decision-write',
    text: `with requests as (
  insert into deferral_requests (${REQUEST_COLUMNS})
  select r.id, $1::uuid, r.reference, r.pid, r.invoice_id, r.invoice_number, r.invoice_title, r.amount_ore,
         r.original_due_date, r.requested_due_date, r.outcome, r.outcome, r.new_due_date,
         ${r('reasons')}, ${r('notices')}, ${r('facts')}, ${r('trace')}, r.policy_version_id,
         r.decided_on, r.language, r.email, r.status, r.sent_to_officer_at, r.audit_salt, r.created_at
    from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                $16::text[], $17::uuid[], $18::text[], $19::text[], $20::text[], $21::timestamptz[],
                $22::text[], $23::timestamptz[], $41::text[])
      as r(id, reference, pid, invoice_id, invoice_number, invoice_title, amount_ore, original_due_date,
           requested_due_date, outcome, new_due_date, reasons, notices, facts, trace, policy_version_id,
           language, email, status, sent_to_officer_at, audit_salt, created_at, decided_on)
), jobs as (
  insert into writeback_jobs (${JOB_COLUMNS})
  select j.id, $1::uuid, j.request_id, j.invoice_id, j.pid, j.new_due_date, j.reason, 'deferral-' || j.request_id,
         'pending', 0, j.created_at, j.created_at, j.audit_salt
    from unnest($24::uuid[], $25::uuid[], $26::text[], $27::text[], $28::text[], $29::text[],
                $30::timestamptz[], $31::text[])
      as j(id, request_id, invoice_id, pid, new_due_date, reason, created_at, audit_salt)
), entries as (
  insert into audit_entries (${ENTRY_COLUMNS})
  select $1::uuid, e.seq, 'deferral.decided', e.subject_id, ${jsonValue('e.payload', entryTypes.payload)}, e.payload_hash, e.prev_hash,
         e.hash, $33::timestamptz
    from unnest($32::bigint[], $34::text[], $35::text[], $36::text[], $37::text[], $38::text[])
      as e(seq, subject_id, payload, payload_hash, prev_hash, hash)
)
update audit_chain_heads set seq = $39::bigint, hash = $40::text, updated_at = $33::timestamptz where municipality_id = $1::uuid`,
  };
}

/** Set at start-up, once the JSON columns' types are known; fixed text from then on. */
let WRITE: { name: string; text: string };

/** Opens the transaction and locks the head in one round trip (simple protocol, fixed text). */
const BEGIN_AND_LOCK = `begin; select seq, hash from audit_chain_heads where municipality_id = '${env.municipalityId}' for update`;

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
  id: string;
  reference: string;
  pid: string;
  invoice: Invoice;
  requestedDueDate: string;
  outcome: string;
  newDueDate: string | null;
  reasons: string;
  notices: string;
  facts: string;
  /** The day it was decided (the facts' `today`), a column of its own as the portal writes it. */
  decidedOn: string;
  trace: string;
  policyVersionId: string;
  email: string | null;
  createdAt: Date;
  /** Canonical JSON of the audit payload. */
  payload: string;
}

/** The head row, locked; made at genesis the first time (once per database). */
async function lockHead(client: PoolClient): Promise<{ seq: string; hash: string }> {
  const results = (await client.query(BEGIN_AND_LOCK)) as unknown as {
    rows: { seq: string; hash: string }[];
  }[];
  const head = results[1].rows[0];
  if (head) return head;
  await client.query(
    'insert into audit_chain_heads (municipality_id, seq, hash, updated_at) values ($1, 0, $2, now()) on conflict do nothing',
    [env.municipalityId, GENESIS_HASH],
  );
  const again = await client.query<{ seq: string; hash: string }>(
    'select seq, hash from audit_chain_heads where municipality_id = $1 for update',
    [env.municipalityId],
  );
  return again.rows[0];
}

/** One transaction, three round trips: begin + lock; insert everything + move the head; commit. */
async function store(drafts: Draft[]): Promise<void> {
  const m = env.municipalityId;
  const client = await pool.connect();
  try {
    const head = await lockHead(client);
    let seq = Number(head.seq);
    let prev = head.hash;
    const auditAt = new Date();
    const entries = {
      seq: [] as number[],
      subject: [] as string[],
      payload: [] as string[],
      payloadHash: [] as string[],
      prev: [] as string[],
      hash: [] as string[],
    };
    for (const d of drafts) {
      seq++;
      const payloadHash = sha256Hex(d.payload);
      const hash = auditEntryHash({
        prevHash: prev,
        seq,
        municipalityId: m,
        type: 'deferral.decided',
        subjectId: d.id,
        createdAtIso: auditAt.toISOString(),
        payloadHash,
      });
      entries.seq.push(seq);
      entries.subject.push(d.id);
      entries.payload.push(d.payload);
      entries.payloadHash.push(payloadHash);
      entries.prev.push(prev);
      entries.hash.push(hash);
      prev = hash;
    }
    const approved = drafts.filter((d) => d.outcome === 'approved' && d.newDueDate);
    const col = <T>(pick: (d: Draft) => T, from = drafts) => from.map(pick);
    await client.query({
      name: WRITE.name,
      text: WRITE.text,
      values: [
        m,
        col((d) => d.id),
        col((d) => d.reference),
        col((d) => d.pid),
        col((d) => d.invoice.id),
        col((d) => d.invoice.invoiceNumber),
        col((d) => d.invoice.title),
        col((d) => d.invoice.outstandingOre),
        col((d) => d.invoice.dueDate),
        col((d) => d.requestedDueDate),
        col((d) => d.outcome),
        col((d) => d.newDueDate),
        col((d) => d.reasons),
        col((d) => d.notices),
        col((d) => d.facts),
        col((d) => d.trace),
        col((d) => d.policyVersionId),
        col(() => 'nb'),
        col((d) => d.email),
        // Manual review waits for an officer from the moment it is decided, as in the portal.
        col((d) => (d.outcome === 'manual_review' ? 'awaiting_officer' : 'decided')),
        col((d) => (d.outcome === 'manual_review' ? d.createdAt : null)),
        col(() => newAuditSalt()),
        col((d) => d.createdAt),
        col(() => randomUUID(), approved),
        col((d) => d.id, approved),
        col((d) => d.invoice.id, approved),
        col((d) => d.pid, approved),
        col((d) => d.newDueDate, approved),
        col((d) => `Betalingsutsettelse ${d.reference}`, approved),
        col((d) => d.createdAt, approved),
        col(() => newAuditSalt(), approved),
        entries.seq,
        auditAt,
        entries.subject,
        entries.payload,
        entries.payloadHash,
        entries.prev,
        entries.hash,
        seq,
        prev,
        col((d) => d.decidedOn),
      ],
    });
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string } | undefined)?.code === '23505';

/**
 * The portal's group commit, in plain SQL. If a batch breaks a unique key, each of its decisions
 * is stored on its own, so only the one that came second fails.
 */
async function commitBatch(drafts: Draft[]): Promise<ItemResult<void>[]> {
  try {
    await store(drafts);
    return drafts.map(() => ({ ok: true, value: undefined }));
  } catch (error) {
    if (!isUniqueViolation(error) || drafts.length === 1) throw error;
    return Promise.all(
      drafts.map(async (draft): Promise<ItemResult<void>> => {
        try {
          await store([draft]);
          return { ok: true, value: undefined };
        } catch (single) {
          return { ok: false, error: single };
        }
      }),
    );
  }
}

const commits = new GroupCommit<Draft, void>(commitBatch, { maxBatch: 64, concurrency: 2 });

/** The decision already made for the invoice's current due date (or the approval that set it). */
function answering(invoice: Invoice, requests: ReadRow['requests']): string | undefined {
  const found = requests.find(
    ([invoiceId, outcome, originalDueDate, newDueDate]) =>
      invoiceId === invoice.id &&
      (originalDueDate === invoice.dueDate ||
        (outcome === 'approved' && newDueDate === invoice.dueDate)),
  );
  return found?.[5];
}

/** After losing a race on the unique key: the decision that got there first. */
async function winner(pid: string, invoice: Invoice): Promise<string | undefined> {
  const { rows } = await pool.query<{ reference: string }>({
    name: 'decision-winner',
    text: `select reference from deferral_requests
            where municipality_id = $1 and pid = $2 and invoice_id = $3
              and (original_due_date = $4 or (outcome = 'approved' and new_due_date = $4))
            order by created_at desc limit 1`,
    values: [env.municipalityId, pid, invoice.id, invoice.dueDate],
  });
  return rows[0]?.reference;
}

async function decide(
  invoiceId: string,
  cookieHeader: string | undefined,
  rawBody: string,
): Promise<{ status: number; location?: string }> {
  const cookies = parseCookies(cookieHeader);
  // Signature and CSRF first: both are checked against the cookie alone, before any query.
  const sid = sessionId(env, cookies);
  if (!sid) return { status: 401 };
  const body = Object.fromEntries(new URLSearchParams(rawBody));
  const csrf = cookies.get(CSRF_COOKIE);
  const csrfOk =
    Boolean(csrf) &&
    body._csrf === csrf &&
    validCsrfCookie(env.sessionSecret, csrfBinding(env, sid), csrf);

  const today = todayInNorway();
  const m = env.municipalityId;
  const { rows } = await pool.query<ReadRow>({
    name: READ.name,
    text: READ.text,
    values: [sid, invoiceId, m, new Date(Date.now() - APPROVALS_LOOKBACK_MS)],
  });
  const read = rows[0];
  const user = openSession(
    env,
    sid,
    read.session && { data: JSON.parse(read.session[0]) as unknown, expires_at: read.session[1] },
  );
  if (!user) return { status: 401 };
  if (!csrfOk) return { status: 403 };
  // A foreign invoice is not found: the data read was its owner's, and goes no further.
  if (read.pid !== user.pid) return { status: 404 };
  // Summaries, and the whole document of the invoice decided on (lines and history checked too).
  const documents = JSON.parse(read.invoices ?? '[]') as (Invoice | InvoiceSummary)[];
  if (documents.some((document) => checkInvoice(document))) return { status: 503 };
  const invoice = documents.find((document) => document.id === invoiceId) as Invoice | undefined;
  if (!invoice) return { status: 404 };
  const earlier = answering(invoice, read.requests);
  if (earlier) return { status: 303, location: `/saker/${encodeURIComponent(earlier)}` };

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

  const history = summarizePaymentEvents(
    read.events.map(([type, date, eventInvoiceId, invoiceNumber, amountOre, daysLate]) => ({
      type,
      date,
      invoiceId: eventInvoiceId,
      invoiceNumber,
      amountOre: amountOre === null ? null : Number(amountOre),
      daysLate,
    })),
  );
  const ourApprovals = read.requests
    .filter(([, outcome]) => outcome === 'approved')
    .map(([approvedInvoiceId, , , , decidedOn]) => ({
      invoiceId: approvedInvoiceId,
      decidedOn,
    }));
  const facts = buildFacts(
    factInput({
      today,
      requestedDueDate: parsed.form.newDueDate,
      invoice,
      allInvoices: documents.map((document) => summary(document as Invoice)),
      history,
      ourApprovals,
    }),
  );
  const compiled = registry.active();
  const decision = await registry.evaluate(facts, compiled);
  const policyVersion = await versionId(compiled.hash);

  const id = randomUUID();
  const reference = newDeferralReference();
  const reasons = [...decision.reasons];
  const notices = decision.notices.map((n) => ({ code: n.code, text: { ...n.text } }));
  try {
    await commits.submit({
      id,
      reference,
      pid: user.pid,
      invoice,
      requestedDueDate: parsed.form.newDueDate,
      outcome: decision.outcome,
      newDueDate: decision.newDueDate,
      reasons: JSON.stringify(reasons),
      notices: JSON.stringify(notices),
      facts: JSON.stringify(facts),
      decidedOn: facts.today,
      trace: JSON.stringify(decision.trace),
      policyVersionId: policyVersion,
      email: parsed.form.email,
      createdAt: new Date(),
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
  } catch (error) {
    // A second tab or a double click got there first: show that decision, never make another.
    if (!isUniqueViolation(error)) throw error;
    const first = await winner(user.pid, invoice);
    if (!first) throw error;
    return { status: 303, location: `/saker/${encodeURIComponent(first)}` };
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

void (async () => {
  WRITE = writeStatement(
    await jsonColumnTypes(pool, 'deferral_requests', ['reasons', 'notices', 'facts', 'trace']),
    await jsonColumnTypes(pool, 'audit_entries', ['payload']),
  );
  listen(server, env.port, 'decision');
})();
