import { EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuditPayload } from '../audit/audit-payload';
import { FinanceSystem } from '../finance/finance-system.port';
import type { FinanceTenant } from '../finance/finance-tenant';
import type { Invoice } from '../finance/invoice.model';
import { todayInNorway } from '../finance/iso-date';
import { buildFacts } from '../policy/build-facts';
import type { DeferralWindow } from '../policy/deferral-window';
import { PolicyEngineService } from '../policy/policy-engine.service';
import { PolicyVersionStore } from '../policy/policy-version.store';
import { WritebackService } from '../writeback/writeback.service';
import { WritebackWorker } from '../writeback/writeback.worker';
import { parseDeferralForm } from './deferral-form';
import { factInput, POLICY_STATUS, alreadyDeferred } from './deferral-facts';
import { newDeferralReference } from './deferral-reference';
import { DeferralRequest } from './deferral-request.entity';
import { DeferralFormError, DeferralNotPossibleError } from './deferrals.errors';
import { DeferralReceipts } from './deferral-receipts';

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
export class DeferralsService {
  private readonly logger = new Logger('Deferrals');

  constructor(
    private readonly orm: MikroORM,
    private readonly finance: FinanceSystem,
    private readonly policy: PolicyEngineService,
    private readonly versions: PolicyVersionStore,
    private readonly audit: AuditService,
    private readonly writeback: WritebackService,
    private readonly worker: WritebackWorker,
    private readonly receipts: DeferralReceipts,
  ) {}

  /** What the invoice page may offer; a refusal names why, so the page can say it plainly. */
  windowFor(invoice: Invoice, today = todayInNorway()): DeferralWindow {
    return this.policy.allowedWindow({
      today,
      dueDate: invoice.dueDate,
      invoiceStatus: POLICY_STATUS[invoice.status],
      inCollection: invoice.sentToExternal,
      alreadyDeferred: alreadyDeferred(invoice),
    });
  }

  /** The request already made for this invoice's current due date, if any (double click, second tab). */
  existingFor(tenant: FinanceTenant, pid: string, invoice: Invoice): Promise<DeferralRequest | null> {
    return this.orm.em.fork().findOne(DeferralRequest, { municipalityId: tenant.id, pid, invoiceId: invoice.id, originalDueDate: invoice.dueDate });
  }

  async request(tenant: FinanceTenant, resident: Resident, invoiceId: string, body: Record<string, unknown> | undefined): Promise<DeferralRequest> {
    const today = todayInNorway();
    const invoice = await this.finance.getInvoice(tenant, resident.pid, invoiceId);
    const existing = await this.existingFor(tenant, resident.pid, invoice);
    if (existing) return existing;
    const window = this.windowFor(invoice, today);
    if (!window.allowed) throw new DeferralNotPossibleError(window.reason);
    const parsed = parseDeferralForm(body, today, window);
    if (!parsed.ok) throw new DeferralFormError(parsed.problems, parsed.values);

    const [allInvoices, history, ourApprovals] = await Promise.all([
      this.finance.listInvoices(tenant, resident.pid),
      this.finance.getPaymentHistory(tenant, resident.pid),
      this.approvalsOf(tenant.id, resident.pid),
    ]);
    const facts = buildFacts(factInput({ today, requestedDueDate: parsed.form.newDueDate, invoice, allInvoices, history, ourApprovals }));
    const compiled = this.policy.active();
    const decision = await this.policy.evaluate(facts, compiled);
    const policyVersionId = await this.versions.idFor(tenant.id, compiled);

    let saved: DeferralRequest;
    try {
      saved = await this.orm.em.fork().transactional(async (em: EntityManager) => {
        const request = em.create(DeferralRequest, {
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
          newDueDate: decision.newDueDate,
          reasons: [...decision.reasons],
          notices: decision.notices.map((n) => ({ code: n.code, text: { ...n.text } })),
          facts,
          trace: [...decision.trace],
          policyVersionId,
          language: resident.language,
          email: parsed.form.email,
        });
        if (decision.outcome === 'approved' && decision.newDueDate) {
          this.writeback.enqueue(em, {
            municipalityId: tenant.id,
            deferralRequestId: request.id,
            invoiceId: invoice.id,
            pid: resident.pid,
            newDueDate: decision.newDueDate,
            reason: `Betalingsutsettelse ${request.reference}`,
          });
        }
        await em.flush();
        await this.audit.append(em, {
          municipalityId: tenant.id,
          type: 'deferral.decided',
          subjectId: request.id,
          payload: auditPayload(request, decision.policyId, decision.policyVersion, decision.policyHash),
        });
        return request;
      });
    } catch (error) {
      // A second tab or a double click got there first: show that decision, never make another.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.existingFor(tenant, resident.pid, invoice);
      if (!winner) throw error;
      return winner;
    }
    this.logger.log({ reference: saved.reference, outcome: saved.outcome }, 'Deferral decided');
    if (saved.outcome === 'approved') this.worker.wake();
    await this.receipts.send(tenant, saved, resident.origin);
    return saved;
  }

  private async approvalsOf(municipalityId: string, pid: string) {
    const rows = await this.orm.em.fork().find(
      DeferralRequest,
      { municipalityId, pid, outcome: 'approved' },
      { fields: ['invoiceId', 'facts'], orderBy: { createdAt: 'desc' }, limit: 100 },
    );
    return rows.map((r) => ({ invoiceId: r.invoiceId, decidedOn: r.facts.today }));
  }
}

/** What an auditor needs to check the decision: the facts seen, the rule version, the trace, the outcome. */
function auditPayload(request: DeferralRequest, policyId: string, policyVersion: string, policyHash: string): AuditPayload {
  return JSON.parse(
    JSON.stringify({
      reference: request.reference,
      invoiceId: request.invoiceId,
      invoiceNumber: request.invoiceNumber,
      requestedDueDate: request.requestedDueDate,
      policy: { id: policyId, version: policyVersion, hash: policyHash, versionId: request.policyVersionId },
      facts: request.facts,
      trace: request.trace,
      outcome: request.outcome,
      newDueDate: request.newDueDate,
      reasons: request.reasons,
      language: request.language,
    }),
  ) as AuditPayload;
}
