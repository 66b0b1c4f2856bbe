import {
  EntityManager,
  MikroORM,
  type RequiredEntityData,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AuditService } from '../audit';
import {
  CommitQueues,
  commitTogether,
  dateParam,
  insertRows,
  jsonFieldSql,
  queryRows,
} from '../database';
import type { GroupCommit, ItemResult } from '../database';
import { FinanceSystem } from '../finance';
import type { FinanceTenant } from '../finance';
import type { Invoice } from '../finance';
import { todayInNorway } from '../shared/calendar-date';
import { buildFacts, PolicyEngineService, ActivePolicies } from '../policy';
import type { DeferralWindow } from '../policy';
import type { CompiledPolicy } from '../policy';
import { WritebackService } from '../writeback';
import { decisionAuditPayload } from './decision-audit-payload';
import { parseDeferralForm } from './deferral-form';
import { factInput, POLICY_STATUS, alreadyDeferred } from './deferral-facts';
import { newDeferralReference } from './deferral-reference';
import { DeferralRequest, residentPidOf } from './deferral-request.entity';
import { DeferralFormError, DeferralNotPossibleError } from './deferrals.errors';
import { DeferralReceipts, type ReceiptContext } from './deferral-receipts';

const APPROVALS_LOOKBACK_MS = 400 * 24 * 3600_000;

/** The request was about the invoice's current due date, or its approval set that due date. */
function answers(
  request: Pick<DeferralRequest, 'originalDueDate' | 'outcome' | 'newDueDate'>,
  invoice: Invoice,
): boolean {
  return (
    request.originalDueDate === invoice.dueDate ||
    (request.outcome === 'approved' && request.newDueDate === invoice.dueDate)
  );
}

/** A decision made and waiting for its turn in a group commit. */
interface DecisionDraft {
  request: RequiredEntityData<DeferralRequest>;
  policy: { id: string; version: string; hash: string };
  /** The e-mail receipt, queued in the same transaction as the decision. */
  receipt?: ReceiptContext;
}

/**
 * Decisions arriving while a batch commits wait for the next one: under load one transaction and
 * one lock of the audit chain head carry many decisions; a lone decision commits at once.
 */
const DECISION_BATCH = { maxBatch: 64, concurrency: 2 };

/** What became of a posted form: the request it made, or the one that was there already. */
export interface DeferralSubmission {
  request: DeferralRequest;
  /**
   * False when a request about this due date existed (Back and another date, a second tab, a
   * double click): nothing was stored, and the resident is shown that request's answer.
   */
  created: boolean;
}

export interface Resident {
  pid: string;
  language: string;
  /** The site's origin as the resident reached it, for links in the receipt. */
  origin: string;
}

/**
 * One deferral, end to end: read the invoice fresh, let the policy decide, and store the request,
 * its decision, the audit entry and (for an approval) the write-back job in one transaction.
 */
@Injectable()
export class DeferralsService implements OnModuleDestroy {
  private readonly logger = new Logger('Deferrals');
  private readonly commits: GroupCommit<DecisionDraft, DeferralRequest>;

  constructor(
    private readonly orm: MikroORM,
    private readonly finance: FinanceSystem,
    private readonly policy: PolicyEngineService,
    private readonly policies: ActivePolicies,
    private readonly audit: AuditService,
    private readonly writeback: WritebackService,
    private readonly receipts: DeferralReceipts,
    queues: CommitQueues,
  ) {
    this.commits = queues.create(
      'decisions',
      (drafts) => this.commitDecisions(drafts),
      DECISION_BATCH,
    );
  }

  /**
   * What the invoice page may offer, from the municipality's version in force (the one a decision
   * would use now); a refusal names why, so the page can say it plainly.
   */
  async windowFor(
    tenant: FinanceTenant,
    invoice: Invoice,
    today = todayInNorway(),
  ): Promise<DeferralWindow> {
    const { compiled } = await this.policies.activeFor(tenant.id);
    return this.windowOf(invoice, today, compiled);
  }

  private windowOf(invoice: Invoice, today: string, compiled: CompiledPolicy): DeferralWindow {
    return this.policy.allowedWindow(
      {
        today,
        dueDate: invoice.dueDate,
        invoiceStatus: POLICY_STATUS[invoice.status],
        inCollection: invoice.sentToExternal,
        alreadyDeferred: alreadyDeferred(invoice),
      },
      compiled,
    );
  }

  /**
   * The request already made for this invoice's current due date, if any (double click, second
   * tab), or the approval that set that due date: once the write-back has moved the date, a
   * resident who sends the form again still gets the receipt, not "already deferred".
   */
  async existingFor(
    tenant: FinanceTenant,
    pid: string,
    invoice: Invoice,
  ): Promise<DeferralRequest | null> {
    const [found] = await this.orm.em.fork().find(
      DeferralRequest,
      {
        municipalityId: tenant.id,
        pid,
        invoiceId: invoice.id,
        $or: [
          { originalDueDate: invoice.dueDate },
          { outcome: 'approved', newDueDate: invoice.dueDate },
        ],
      },
      { orderBy: { createdAt: 'desc' }, limit: 1 },
    );
    return found ?? null;
  }

  async request(
    tenant: FinanceTenant,
    resident: Resident,
    invoiceId: string,
    body: Record<string, unknown> | undefined,
  ): Promise<DeferralSubmission> {
    const today = todayInNorway();
    // Side by side: what a decision needs, and whether one was made already (rarely so). The
    // invoice is read fresh with the resident's other invoices; a foreign one is not found.
    // One version in force for the whole request: the dates allowed and the decision both follow it.
    const [{ invoice, all: allInvoices, history }, earlier, active] = await Promise.all([
      this.finance.getDecisionInputs(tenant, resident.pid, invoiceId),
      this.requestsBearingOn(tenant.id, resident.pid, invoiceId),
      this.policies.activeFor(tenant.id),
    ]);
    if (earlier.some((r) => r.invoiceId === invoice.id && answers(r, invoice))) {
      const existing = await this.existingFor(tenant, resident.pid, invoice);
      if (existing) return { request: existing, created: false };
    }
    const window = this.windowOf(invoice, today, active.compiled);
    if (!window.allowed) throw new DeferralNotPossibleError(window.reason);
    const parsed = parseDeferralForm(body, today, window);
    if (!parsed.ok) throw new DeferralFormError(parsed.problems, parsed.values);
    const ourApprovals = earlier
      .filter((r) => r.outcome === 'approved')
      .map((r) => ({ invoiceId: r.invoiceId, decidedOn: r.decidedOn }));
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
    const decision = await this.policy.evaluate(facts, active.compiled);
    const policyVersionId = active.versionId;

    const draft: DecisionDraft = {
      request: {
        municipalityId: tenant.id,
        reference: newDeferralReference(),
        pid: resident.pid,
        invoiceId: invoice.id,
        invoiceNumber: invoice.invoiceNumber,
        invoiceTitle: invoice.title,
        amountOre: invoice.outstandingOre,
        originalDueDate: invoice.dueDate,
        requestedDueDate: parsed.form.newDueDate,
        outcome: decision.outcome,
        policyOutcome: decision.outcome,
        // Manual review waits for a person from the moment it is decided.
        ...(decision.outcome === 'manual_review'
          ? { status: 'awaiting_officer' as const, sentToOfficerAt: new Date() }
          : {}),
        newDueDate: decision.newDueDate,
        reasons: [...decision.reasons],
        notices: decision.notices.map((n) => ({ code: n.code, text: { ...n.text } })),
        facts,
        trace: [...decision.trace],
        policyVersionId,
        decidedOn: facts.today,
        language: resident.language,
        email: parsed.form.email,
      },
      policy: { id: decision.policyId, version: decision.policyVersion, hash: decision.policyHash },
    };
    draft.receipt = await this.receipts.prepare(tenant, parsed.form.email, resident.origin);
    let saved: DeferralRequest;
    try {
      saved = await this.commits.submit(draft);
    } catch (error) {
      // A second tab or a double click got there first: show that decision, never make another.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.existingFor(tenant, resident.pid, invoice);
      if (!winner) throw error;
      return { request: winner, created: false };
    }
    this.logger.log({ reference: saved.reference, outcome: saved.outcome }, 'Deferral decided');
    return { request: saved, created: true };
  }

  /** Lets the decisions already submitted commit before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    await this.commits.drained();
  }

  /**
   * Stores decisions in one transaction: the requests, the write-back jobs of the approvals, the
   * e-mail receipts and their audit entries, chained under one lock of the head. If one of them
   * breaks a unique key (two tabs asking about one invoice at the same moment), each is stored on
   * its own instead, so only that one fails and its caller shows the decision that got there first.
   */
  private async commitDecisions(drafts: DecisionDraft[]): Promise<ItemResult<DeferralRequest>[]> {
    try {
      return (await this.store(drafts)).map((value) => ({ ok: true, value }));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || drafts.length === 1)
        throw error;
      return Promise.all(
        drafts.map(async (draft): Promise<ItemResult<DeferralRequest>> => {
          try {
            const [value] = await this.store([draft]);
            return { ok: true, value };
          } catch (single) {
            return { ok: false, error: single };
          }
        }),
      );
    }
  }

  private store(drafts: DecisionDraft[]): Promise<DeferralRequest[]> {
    // The audit chain's head is locked first (a read); every write after it (entries, head,
    // requests, write-back jobs, receipts) is held and goes to the database with the commit
    // (`commitTogether`): on PostgreSQL a batch commits in two round trips, `begin` with the lock
    // and the writes with `commit`, not seven. Each write is one plain multi-row insert with bound
    // parameters (see plain-statements.ts): no unit of work, query builder or parameters
    // formatted into the text for rows only ever inserted here.
    return commitTogether(this.orm, async (em: EntityManager) => {
      const requests = drafts.map((draft) =>
        em.create(DeferralRequest, draft.request, { persist: false }),
      );
      const entries = await this.audit.appendMany(
        em,
        requests.map((request, i) => ({
          municipalityId: request.municipalityId,
          type: 'deferral.decided' as const,
          subjectId: request.id,
          payload: decisionAuditPayload({
            ...request,
            policy: { ...drafts[i].policy, versionId: request.policyVersionId },
          }),
        })),
      );
      await insertRows(em, DeferralRequest, requests);
      await this.writeback.enqueueMany(
        em,
        requests.flatMap((request) =>
          request.outcome === 'approved' && request.newDueDate
            ? [
                {
                  municipalityId: request.municipalityId,
                  deferralRequestId: request.id,
                  invoiceId: request.invoiceId,
                  pid: residentPidOf(request),
                  newDueDate: request.newDueDate,
                  reason: `Betalingsutsettelse ${request.reference}`,
                },
              ]
            : [],
        ),
      );
      // Each receipt names its decision's entry (seq and hash).
      await this.receipts.enqueue(
        em,
        requests.map((request, i) => ({
          request,
          receipt: drafts[i].receipt,
          audit: entries[i],
        })),
      );
      return requests;
    });
  }

  /**
   * In one query: the resident's requests about this invoice (is there a decision already?) and
   * their approvals of the last 13 months (the policy counts deferrals in the last 6 and 12). Only
   * short columns: the day of each decision is a column of its own, so no facts are read, except
   * for a row the previous release inserted without that day.
   */
  private async requestsBearingOn(municipalityId: string, pid: string, invoiceId: string) {
    const since = new Date(Date.now() - APPROVALS_LOOKBACK_MS);
    const factsToday = jsonFieldSql(this.orm, 'facts', 'today', 'text');
    const rows = await queryRows<{
      invoice_id: string;
      outcome: DeferralRequest['outcome'];
      original_due_date: string;
      new_due_date: string | null;
      decided_on: string;
    }>(
      this.orm,
      `select invoice_id, outcome, original_due_date, new_due_date,
              coalesce(decided_on, ${factsToday}) as decided_on
         from deferral_requests
        where municipality_id = ? and pid = ? and (invoice_id = ? or (outcome = 'approved' and created_at >= ?))
        order by created_at desc`,
      [municipalityId, pid, invoiceId, dateParam(this.orm, since)],
      { short: true },
    );
    return rows.map((row) => ({
      invoiceId: row.invoice_id,
      outcome: row.outcome,
      originalDueDate: row.original_due_date,
      newDueDate: row.new_due_date,
      decidedOn: row.decided_on,
    }));
  }
}
