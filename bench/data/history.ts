/**
 * The main municipality's past: deferral requests decided by the real policy (facts, trace,
 * reasons), the completed write-back job of each approval, and the audit chain the portal would
 * have written for them: older entries first (decisions whose requests have since been archived,
 * shaped exactly like real ones), then one entry per past decision and per write-back, hashed
 * and linked as `AuditService.append` links them, and the chain head at the end.
 */
import type { Client } from 'pg';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../../src/audit/audit-hash';
import { canonicalJson } from '../../src/shared/canonical-json';
import { POLICY_TYPE } from '../../src/deferrals/deferral-facts';
import { decisionAuditPayload } from '../../src/deferrals/decision-audit-payload';
import type { Invoice } from '../../src/finance/invoice.model';
import { buildFacts, type FactInput } from '../../src/policy/engine/build-facts';
import { addDays, daysBetween, type IsoDate } from '../../src/shared/calendar-date';
import type { Decision } from '../../src/policy/engine/decision';
import type { InvoiceType } from '../../src/policy/engine/facts';
import type { PolicyRegistry } from '../../src/policy/engine/policy-registry';
import { CopyWriter } from '../lib/database';
import { realisticFactInput } from './facts';
import type { Random } from './random';

const TITLE_OF: Record<InvoiceType, string> = {
  VANN_AVLOP: 'Vann og avløp',
  RENOVASJON: 'Renovasjon, halvår',
  BARNEHAGE: 'Barnehage',
  SFO: 'SFO',
  EIENDOMSSKATT: 'Eiendomsskatt',
  OTHER: 'Feiing og tilsyn',
};
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const DAY_MS = 86_400_000;

export interface HistoryParams {
  clients: Client[];
  municipalityId: string;
  slug: string;
  policyVersionId: string;
  registry: PolicyRegistry;
  today: IsoDate;
  /** Residents and the paid invoices past requests may be about. */
  residents: readonly { pid: string; paid: readonly Invoice[] }[];
  pastRequests: number;
  /** Entries the chain should hold in all; the older history fills what the requests leave. */
  auditEntries: number;
  random: Random;
}

export interface HistoryCounts {
  pastRequests: number;
  pastApprovals: number;
  auditEntries: number;
  auditPayloadBytes: number;
}

interface PastRequest {
  id: string;
  pid: string;
  invoiceId: string;
  invoiceNumber: string;
  title: string;
  input: FactInput;
  createdAt: number;
}

function reference(random: Random, taken: Set<string>): string {
  for (;;) {
    const part = () => Array.from({ length: 4 }, () => random.pick([...ALPHABET])).join('');
    const ref = `UTS-${part()}-${part()}`;
    if (!taken.has(ref)) {
      taken.add(ref);
      return ref;
    }
  }
}

/** A moment on `day` during the day (07–22 Oslo time, roughly). */
function momentOn(random: Random, day: IsoDate): number {
  return Date.parse(`${day}T05:00:00.000Z`) + random.int(0, 16 * 3600_000);
}

/** Requests about the residents' paid bills (asked shortly before their due date), then about archived ones. */
function planRequests(p: HistoryParams): PastRequest[] {
  const { random, today } = p;
  const requests: PastRequest[] = [];
  const pool = p.residents.flatMap((r) => r.paid.map((invoice) => ({ pid: r.pid, invoice })));
  random.shuffle(pool);
  for (const { pid, invoice } of pool) {
    if (requests.length >= p.pastRequests) break;
    const due = invoice.originalDueDate;
    const day = addDays(due, -random.int(-3, 25));
    if (daysBetween(day, today) < 2) continue;
    const base = realisticFactInput(random, day);
    const requestedDays = daysBetween(base.invoice.dueDate, base.requestedDueDate);
    requests.push({
      id: random.uuid(),
      pid,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoiceNumber,
      title: invoice.title,
      input: {
        ...base,
        requestedDueDate: addDays(due, requestedDays),
        invoice: {
          ...base.invoice,
          amountOre: invoice.amountOre,
          type: POLICY_TYPE[invoice.category] ?? 'OTHER',
          dueDate: due,
        },
      },
      createdAt: momentOn(random, day),
    });
  }
  for (let n = 1; requests.length < p.pastRequests; n++) {
    const resident = p.residents[random.int(0, p.residents.length - 1)];
    const day = addDays(today, -random.int(40, 1095));
    const input = realisticFactInput(random, day);
    requests.push({
      id: random.uuid(),
      pid: resident.pid,
      invoiceId: `${p.slug}-arkiv-${n}`,
      invoiceNumber: `A${String(n).padStart(9, '0')}`,
      title: TITLE_OF[input.invoice.type],
      input,
      createdAt: momentOn(random, day),
    });
  }
  return requests.sort((a, b) => a.createdAt - b.createdAt);
}

/** Appends entries as `AuditService.append` would, through COPY. */
class ChainWriter {
  seq = 0;
  hash = GENESIS_HASH;
  bytes = 0;
  private readonly writer: CopyWriter;

  constructor(
    clients: Client[],
    private readonly municipalityId: string,
    private readonly random: Random,
  ) {
    this.writer = new CopyWriter(clients, 'audit_entries', [
      'municipality_id',
      'seq',
      'type',
      'subject_id',
      'payload',
      'payload_hash',
      'prev_hash',
      'hash',
      'created_at',
    ]);
  }

  async append(type: string, subjectId: string, payload: unknown, createdAt: Date): Promise<void> {
    const canonical = canonicalJson(payload);
    const payloadHash = sha256Hex(canonical);
    const seq = this.seq + 1;
    const hash = auditEntryHash({
      prevHash: this.hash,
      seq,
      municipalityId: this.municipalityId,
      type,
      subjectId,
      createdAtIso: createdAt.toISOString(),
      payloadHash,
    });
    await this.writer.add([
      this.municipalityId,
      seq,
      type,
      subjectId,
      canonical,
      payloadHash,
      this.hash,
      hash,
      createdAt,
    ]);
    this.bytes += Buffer.byteLength(canonical);
    this.seq = seq;
    this.hash = hash;
  }

  end(): Promise<number> {
    return this.writer.end();
  }
}

function decisionPayload(
  p: HistoryParams,
  ref: string,
  invoiceId: string,
  invoiceNumber: string,
  input: FactInput,
  facts: object,
  decision: Decision,
  language: string,
) {
  return decisionAuditPayload({
    reference: ref,
    invoiceId,
    invoiceNumber,
    requestedDueDate: input.requestedDueDate,
    policy: {
      id: decision.policyId,
      version: decision.policyVersion,
      hash: decision.policyHash,
      versionId: p.policyVersionId,
    },
    facts,
    trace: decision.trace,
    outcome: decision.outcome,
    newDueDate: decision.newDueDate,
    reasons: decision.reasons,
    language,
  });
}

function writebackPayload(
  jobId: string,
  requestId: string,
  invoiceId: string,
  newDueDate: string,
  previous: string,
  changedAt: string,
) {
  return {
    jobId,
    invoiceId,
    idempotencyKey: `deferral-${requestId}`,
    attempts: 1,
    dueDate: newDueDate,
    previousDueDate: previous,
    changedAt,
    replayed: false,
  };
}

export async function loadHistory(p: HistoryParams): Promise<HistoryCounts> {
  const { random, registry } = p;
  const requests = planRequests(p);
  // First pass: the outcomes, so the older history can be sized to leave room for them.
  let approvals = 0;
  for (const r of requests)
    if ((await registry.evaluate(buildFacts(r.input))).outcome === 'approved') approvals++;
  const older = Math.max(0, p.auditEntries - requests.length - approvals);

  const [requestClient, jobClient, ...auditClients] = p.clients;
  const chain = new ChainWriter(auditClients, p.municipalityId, random);
  const languages = ['nb', 'nb', 'nb', 'nb', 'nb', 'nb', 'nn', 'en'];

  // Older history: six to three years ago, decisions and their write-backs, evenly spread.
  const olderFrom = Date.parse(`${addDays(p.today, -6 * 365)}T08:00:00.000Z`);
  const step = older > 0 ? (3 * 365 * DAY_MS) / older : 0;
  const refs = new Set<string>();
  let written = 0;
  while (written < older) {
    const at = olderFrom + Math.round(written * step);
    const day = new Date(at).toISOString().slice(0, 10);
    const input = realisticFactInput(random, day);
    const facts = buildFacts(input);
    const decision = await registry.evaluate(facts);
    const requestId = random.uuid();
    const n = 1_000_000 + written;
    await chain.append(
      'deferral.decided',
      requestId,
      decisionPayload(
        p,
        reference(random, refs),
        `${p.slug}-arkiv-${n}`,
        `A${n}`,
        input,
        facts,
        decision,
        random.pick(languages),
      ),
      new Date(at),
    );
    written++;
    if (decision.outcome === 'approved' && decision.newDueDate && written < older) {
      const changedAt = new Date(at + random.int(400, 3000));
      await chain.append(
        'writeback.succeeded',
        requestId,
        writebackPayload(
          random.uuid(),
          requestId,
          `${p.slug}-arkiv-${n}`,
          decision.newDueDate,
          input.invoice.dueDate,
          changedAt.toISOString(),
        ),
        changedAt,
      );
      written++;
    }
  }

  const requestWriter = new CopyWriter(requestClient, 'deferral_requests', [
    'id',
    'municipality_id',
    'reference',
    'pid',
    'invoice_id',
    'invoice_number',
    'invoice_title',
    'amount_ore',
    'original_due_date',
    'requested_due_date',
    'outcome',
    'new_due_date',
    'reasons',
    'notices',
    'facts',
    'trace',
    'policy_version_id',
    'decided_on',
    'language',
    'email',
    'status',
    'officer_message',
    'sent_to_officer_at',
    'created_at',
  ]);
  const jobWriter = new CopyWriter(jobClient, 'writeback_jobs', [
    'id',
    'municipality_id',
    'deferral_request_id',
    'invoice_id',
    'pid',
    'new_due_date',
    'reason',
    'idempotency_key',
    'status',
    'attempts',
    'next_attempt_at',
    'result',
    'created_at',
    'completed_at',
  ]);
  let pastApprovals = 0;
  for (const r of requests) {
    const facts = buildFacts(r.input);
    const decision = await registry.evaluate(facts);
    const ref = reference(random, refs);
    const language = random.pick(languages);
    const createdAt = new Date(r.createdAt);
    // One in five of the cases the policy did not approve was sent on to an officer.
    const sent = decision.outcome !== 'approved' && random.chance(0.2);
    await requestWriter.add([
      r.id,
      p.municipalityId,
      ref,
      r.pid,
      r.invoiceId,
      r.invoiceNumber,
      r.title,
      facts.amountOre,
      facts.dueDate,
      facts.requestedDueDate,
      decision.outcome,
      decision.newDueDate,
      decision.reasons,
      decision.notices.map((n) => ({ code: n.code, text: { ...n.text } })),
      facts,
      decision.trace,
      p.policyVersionId,
      // As the decided_on migration leaves the rows it finds, and as the portal inserts them.
      facts.today,
      language,
      random.chance(0.3) ? `innbygger${random.int(1, 99999)}@example.org` : null,
      sent ? 'sent_to_officer' : 'decided',
      sent ? 'Jeg har fått ny jobb og kan betale om litt over en måned.' : null,
      sent ? new Date(r.createdAt + random.int(60_000, 3_600_000)) : null,
      createdAt,
    ]);
    await chain.append(
      'deferral.decided',
      r.id,
      decisionPayload(p, ref, r.invoiceId, r.invoiceNumber, r.input, facts, decision, language),
      createdAt,
    );
    if (decision.outcome === 'approved' && decision.newDueDate) {
      pastApprovals++;
      const jobId = random.uuid();
      const changedAt = new Date(r.createdAt + random.int(400, 3000));
      await jobWriter.add([
        jobId,
        p.municipalityId,
        r.id,
        r.invoiceId,
        r.pid,
        decision.newDueDate,
        `Betalingsutsettelse ${ref}`,
        `deferral-${r.id}`,
        'done',
        1,
        createdAt,
        {
          invoiceId: r.invoiceId,
          dueDate: decision.newDueDate,
          previousDueDate: facts.dueDate,
          changedAt: changedAt.toISOString(),
          replayed: false,
        },
        createdAt,
        changedAt,
      ]);
      await chain.append(
        'writeback.succeeded',
        r.id,
        writebackPayload(
          jobId,
          r.id,
          r.invoiceId,
          decision.newDueDate,
          facts.dueDate,
          changedAt.toISOString(),
        ),
        changedAt,
      );
    }
  }
  await Promise.all([requestWriter.end(), jobWriter.end(), chain.end()]);
  await requestClient.query(
    'insert into audit_chain_heads (municipality_id, seq, hash, updated_at) values ($1, $2, $3, now())',
    [p.municipalityId, chain.seq, chain.hash],
  );
  return {
    pastRequests: requests.length,
    pastApprovals,
    auditEntries: chain.seq,
    auditPayloadBytes: chain.bytes,
  };
}
