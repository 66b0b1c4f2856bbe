import { policyOutcomeOf, type DeferralRequest } from '../deferral-request.entity';

/**
 * What a `case.decided` entry records beside who decided: the case, the policy's own outcome and
 * the version that gave it, and the officer's outcome, date and reason as the resident got them.
 */
export function officerDecisionPayload(decided: DeferralRequest): Record<string, unknown> {
  return {
    reference: decided.reference,
    invoiceId: decided.invoiceId,
    invoiceNumber: decided.invoiceNumber,
    policyOutcome: policyOutcomeOf(decided),
    policyVersionId: decided.policyVersionId,
    outcome: decided.outcome,
    originalDueDate: decided.originalDueDate,
    requestedDueDate: decided.requestedDueDate,
    newDueDate: decided.newDueDate,
    reason: decided.officerReason,
    reasonCode: decided.officerReasonCode,
    language: decided.language,
    waitedFrom: decided.sentToOfficerAt?.toISOString() ?? null,
  };
}
