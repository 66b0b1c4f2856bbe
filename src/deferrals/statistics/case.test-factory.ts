import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { approvableFacts } from '../../policy/policy.test-factory';
import { DeferralRequest } from '../deferral-request.entity';

/** How a case in a statistics test stands; everything else about it is the same dull request. */
export type CaseSpec = { municipalityId: string; createdAt: Date } & (
  | { decided: 'automatically'; outcome: 'approved' | 'rejected' }
  | {
      decided: 'by-officer';
      outcome: 'approved' | 'rejected';
      sentToOfficerAt: Date;
      decidedAt: Date;
      /** What the policy had said; manual review unless given. */
      policyOutcome?: 'approved' | 'rejected' | 'manual_review';
    }
  | {
      decided: 'not-yet';
      status?: 'awaiting_officer' | 'taken' | 'awaiting_resident';
      sentToOfficerAt: Date;
      /** What the policy said: manual review unless given (a rejection the resident sent on). */
      policyOutcome?: 'rejected' | 'manual_review';
    }
);

let counter = 0;

/** A deferral request as the deferrals feature stores it, in `em` (flush to write it). */
export function statisticsCase(em: EntityManager, spec: CaseSpec): DeferralRequest {
  const n = ++counter;
  const base = {
    id: randomUUID(),
    municipalityId: spec.municipalityId,
    reference: `STA-${String(n).padStart(4, '0')}-${randomUUID().slice(0, 4).toUpperCase()}`,
    pid: '01010112345',
    invoiceId: `stat-${randomUUID()}`,
    invoiceNumber: String(700_000 + n),
    invoiceTitle: 'Renovasjon',
    amountOre: 150_000,
    originalDueDate: '2026-12-20',
    requestedDueDate: '2027-01-20',
    newDueDate: null,
    reasons: [],
    notices: [],
    facts: approvableFacts(),
    trace: [],
    policyVersionId: randomUUID(),
    language: 'nb',
    createdAt: spec.createdAt,
  };
  if (spec.decided === 'automatically')
    return em.create(DeferralRequest, {
      ...base,
      outcome: spec.outcome,
      policyOutcome: spec.outcome,
      newDueDate: spec.outcome === 'approved' ? '2027-01-20' : null,
    });
  if (spec.decided === 'by-officer')
    return em.create(DeferralRequest, {
      ...base,
      outcome: spec.outcome,
      policyOutcome: spec.policyOutcome ?? 'manual_review',
      status: 'decided',
      sentToOfficerAt: spec.sentToOfficerAt,
      decidedAt: spec.decidedAt,
      decidedBy: 'staff:test-officer',
      decidedByName: 'Test Saksbehandler',
    });
  const policyOutcome = spec.policyOutcome ?? 'manual_review';
  return em.create(DeferralRequest, {
    ...base,
    outcome: policyOutcome,
    policyOutcome,
    status: spec.status ?? 'awaiting_officer',
    sentToOfficerAt: spec.sentToOfficerAt,
    ...(spec.status === 'taken' || spec.status === 'awaiting_resident'
      ? { takenBy: 'staff:test-officer', takenAt: spec.sentToOfficerAt }
      : {}),
  });
}
