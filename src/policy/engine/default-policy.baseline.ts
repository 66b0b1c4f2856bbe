import type { DeferralFacts, InvoiceStatus } from './facts';
import type { Outcome } from '../policy.types';

/** The default policy's parameter values, restated; a test keeps them equal to rules/default.policy.json. */
export const DEFAULT_POLICY_LIMITS = {
  minDeferralDays: 1,
  maxDeferralDays: 30,
  maxDaysPastDueForApproval: 0,
  maxAmountOre: 1_000_000,
  maxDeferralsLast6Months: 3,
  maxTotalOutstandingOre: 2_000_000,
  maxUnpaidInvoices: 2,
  openInvoiceStatuses: ['IKKE_BETALT'] as readonly InvoiceStatus[],
  collectionStatuses: ['INKASSOVARSEL', 'SENDT_INKASSO', 'INKASSO'] as readonly InvoiceStatus[],
  maxCollectionCasesLast24Months: 0,
};

export type DefaultPolicyLimits = typeof DEFAULT_POLICY_LIMITS;

/**
 * rules/default.policy.json written as plain TypeScript, without the rules engine: the oracle for
 * the property test and the baseline for the benchmark. Reason codes come out in policy-file order.
 */
export function decideByDefaultPolicy(
  facts: DeferralFacts,
  limits: DefaultPolicyLimits = DEFAULT_POLICY_LIMITS,
): { outcome: Outcome; reasons: string[] } {
  const rejections: string[] = [];
  if (facts.inCollection || limits.collectionStatuses.includes(facts.invoiceStatus))
    rejections.push('in-collection');
  if (facts.alreadyDeferred) rejections.push('already-deferred');
  if (facts.collectionCasesLast24Months > limits.maxCollectionCasesLast24Months)
    rejections.push('recent-debt-collection');
  if (rejections.length > 0) return { outcome: 'rejected', reasons: rejections };

  const reviews: string[] = [];
  if (!limits.openInvoiceStatuses.includes(facts.invoiceStatus)) reviews.push('invoice-not-open');
  if (facts.requestedDays < limits.minDeferralDays) reviews.push('too-few-days');
  if (facts.requestedDays > limits.maxDeferralDays) reviews.push('too-many-days');
  if (facts.daysPastDue > limits.maxDaysPastDueForApproval) reviews.push('asked-after-due-date');
  if (facts.amountOre >= limits.maxAmountOre) reviews.push('amount-over-limit');
  if (facts.deferralsLast6Months > limits.maxDeferralsLast6Months)
    reviews.push('too-many-deferrals');
  if (facts.unpaidTotalOre > limits.maxTotalOutstandingOre)
    reviews.push('total-outstanding-over-limit');
  if (facts.unpaidInvoiceCount > limits.maxUnpaidInvoices) reviews.push('too-many-unpaid-invoices');
  return reviews.length > 0
    ? { outcome: 'manual_review', reasons: reviews }
    : { outcome: 'approved', reasons: ['within-limits'] };
}
