import { sha256Hex } from '../audit';
import { canonicalJson } from '../shared/canonical-json';
import type { AuditPayload } from '../audit';
import type { DecisionReason, RuleTrace } from '../policy';

/** What a decision's audit entry is made from. */
export interface DecisionAuditInput {
  reference: string;
  invoiceId: string;
  invoiceNumber: string;
  requestedDueDate: string;
  policy: { id: string; version: string; hash: string; versionId: string };
  facts: object;
  trace: readonly RuleTrace[];
  outcome: string;
  newDueDate: string | null;
  reasons: readonly DecisionReason[];
  language: string;
}

/**
 * The audit entry of one decision: the facts the policy saw, the rule version (id, version, the
 * hash of its rules, the stored version row), every rule with whether it fired, the outcome, the
 * new due date and the reasons the resident was given.
 *
 * The condition-by-condition trace is not repeated here: every value in it is either a fact
 * (above) or a parameter of the hashed rule version, so it follows from the two by running that
 * version again. The full trace is stored with the request (the case pages show it), and
 * `traceSha256` (sha256 of its canonical JSON) ties that stored copy to this entry, so an auditor
 * can check it was not altered. This keeps a decision's entry at about 1.8 kB instead of 6 kB.
 */
export function decisionAuditPayload(input: DecisionAuditInput): AuditPayload {
  // Through JSON, so the payload is plain data (no undefined, no shared objects) as stored.
  return JSON.parse(
    JSON.stringify({
      reference: input.reference,
      invoiceId: input.invoiceId,
      invoiceNumber: input.invoiceNumber,
      requestedDueDate: input.requestedDueDate,
      policy: input.policy,
      facts: input.facts,
      rules: input.trace.map((rule) => ({ name: rule.name, fired: rule.fired })),
      traceSha256: traceSha256(input.trace),
      outcome: input.outcome,
      newDueDate: input.newDueDate,
      reasons: input.reasons,
      language: input.language,
    }),
  ) as AuditPayload;
}

/** sha256 of a trace's canonical JSON: the same for the trace as decided and as read back. */
export function traceSha256(trace: readonly RuleTrace[]): string {
  return sha256Hex(canonicalJson(trace));
}
