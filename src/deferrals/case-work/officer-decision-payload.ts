import { saltedSha256 } from '../../audit';
import { policyOutcomeOf, type DeferralRequest } from '../deferral-request.entity';

/**
 * What a `case.decided` entry records beside who decided: the case, the policy's own outcome and
 * the version that gave it, and the officer's outcome and date. The reason the resident got is the
 * officer's text: it stays with the request, and the entry holds its hash under the request's
 * salt (`reasonSha256`), so it can be removed after the retention time; the standard text's code
 * (`reasonCode`) is no personal data and stays in the clear.
 */
export function officerDecisionPayload(
  decided: DeferralRequest,
  salt: string,
): Record<string, unknown> {
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
    reasonSha256: decided.officerReason === null ? null : saltedSha256(salt, decided.officerReason),
    reasonCode: decided.officerReasonCode,
    language: decided.language,
    waitedFrom: decided.sentToOfficerAt?.toISOString() ?? null,
  };
}
