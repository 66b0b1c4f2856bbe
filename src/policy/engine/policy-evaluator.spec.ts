import type { ConditionTrace, Decision } from './decision';
import type { DeferralFacts } from './facts';
import { evaluate } from './policy-evaluator';
import { InvalidFactsError } from '../policy.errors';
import {
  approvableFacts,
  compileText,
  compiledDefaultPolicy,
  defaultPolicyJson,
  getAt,
  removeAt,
  setAt,
} from '../policy.test-factory';

const policy = compiledDefaultPolicy();
const decide = (overrides: Partial<DeferralFacts>) => evaluate(policy, approvableFacts(overrides));
const codes = (decision: Decision) => decision.reasons.map((reason) => reason.code);

function leaf(decision: Decision, rule: string, fact: string): ConditionTrace {
  const root = decision.trace.find((r) => r.name === rule)!.conditions;
  const found =
    root.kind === 'fact'
      ? undefined
      : root.conditions.find((c) => c.kind === 'fact' && c.fact === fact);
  if (!found) throw new Error(`no condition on ${fact} in ${rule}`);
  return found;
}

describe('evaluate', () => {
  describe('with the default policy', () => {
    it('approves a request inside every limit, to the requested date, with the receipt notices', async () => {
      const decision = await decide({});
      expect(decision).toMatchObject({
        outcome: 'approved',
        newDueDate: '2026-04-10',
        policyId: 'standard-betalingsutsettelse',
        policyVersion: '2026.1',
        policyHash: policy.hash,
      });
      expect(decision.reasons).toEqual([
        {
          code: 'within-limits',
          text: {
            nb: expect.stringMatching(/\S/),
            nn: expect.stringMatching(/\S/),
            en: expect.stringMatching(/\S/),
          },
        },
      ]);
      expect(decision.notices.map((n) => n.code)).toEqual([
        'avtalegiro-efaktura',
        'interest-from-original-due-date',
      ]);
    });

    it.each(['INKASSOVARSEL', 'SENDT_INKASSO', 'INKASSO'] as const)(
      'rejects when the invoice status is %s',
      async (status) => {
        const decision = await decide({ invoiceStatus: status, inCollection: true });
        expect(decision).toMatchObject({ outcome: 'rejected', newDueDate: null });
        expect(codes(decision)).toEqual(['in-collection']);
        expect(decision.reasons[0].limit).toEqual({
          parameter: 'collectionStatuses',
          value: ['INKASSOVARSEL', 'SENDT_INKASSO', 'INKASSO'],
          unit: 'invoice-statuses',
        });
      },
    );

    it('rejects a collection status even when the inCollection flag was not set', async () => {
      expect(codes(await decide({ invoiceStatus: 'INKASSO', inCollection: false }))).toEqual([
        'in-collection',
      ]);
    });

    it('rejects when the finance system flags collection on an invoice that looks open', async () => {
      expect((await decide({ inCollection: true })).outcome).toBe('rejected');
    });

    it('rejects an invoice that is already deferred', async () => {
      const decision = await decide({ alreadyDeferred: true });
      expect(decision.outcome).toBe('rejected');
      expect(codes(decision)).toEqual(['already-deferred']);
      expect(decision.notices).toEqual([]);
    });

    it('gives only the rejection reasons when limits are passed too', async () => {
      const decision = await decide({
        alreadyDeferred: true,
        inCollection: true,
        invoiceStatus: 'INKASSO',
        amountOre: 5_000_000,
      });
      expect(codes(decision)).toEqual(['in-collection', 'already-deferred']);
    });

    it.each([
      [
        'requested days',
        { requestedDays: 30 },
        { requestedDays: 31 },
        'too-many-days',
        'maxDeferralDays',
        30,
      ],
      [
        'requested days (at least one)',
        { requestedDays: 1 },
        { requestedDays: 0 },
        'too-few-days',
        'minDeferralDays',
        1,
      ],
      [
        'amount in øre',
        { amountOre: 999_999, unpaidTotalOre: 999_999 },
        { amountOre: 1_000_000, unpaidTotalOre: 1_000_000 },
        'amount-over-limit',
        'maxAmountOre',
        1_000_000,
      ],
      [
        'deferrals in the last 6 months',
        { deferralsLast6Months: 3 },
        { deferralsLast6Months: 4 },
        'too-many-deferrals',
        'maxDeferralsLast6Months',
        3,
      ],
      [
        'unpaid invoices',
        { unpaidInvoiceCount: 2 },
        { unpaidInvoiceCount: 3 },
        'too-many-unpaid-invoices',
        'maxUnpaidInvoices',
        2,
      ],
      [
        'total owed (20 000 kr)',
        { unpaidTotalOre: 2_000_000 },
        { unpaidTotalOre: 2_000_001 },
        'total-outstanding-over-limit',
        'maxTotalOutstandingOre',
        2_000_000,
      ],
      [
        'days past due (asked on the due date vs the day after)',
        { daysUntilDue: 0, daysPastDue: 0 },
        { daysUntilDue: -1, daysPastDue: 1 },
        'asked-after-due-date',
        'maxDaysPastDueForApproval',
        0,
      ],
    ] as const)(
      'approves at the limit and sends to manual review just past it: %s',
      async (_name, atLimit, pastLimit, code, parameter, value) => {
        expect((await decide(atLimit)).outcome).toBe('approved');
        const decision = await decide(pastLimit);
        expect(decision).toMatchObject({ outcome: 'manual_review', newDueDate: null });
        expect(decision.reasons).toEqual([
          {
            code,
            text: expect.objectContaining({ nb: expect.any(String) }),
            limit: { parameter, value, unit: expect.any(String) },
          },
        ]);
        expect(decision.notices.map((n) => n.code)).toEqual(['original-due-date-applies']);
      },
    );

    it('sends an invoice that is already paid to manual review', async () => {
      expect(codes(await decide({ invoiceStatus: 'BETALT' }))).toEqual(['invoice-not-open']);
    });

    it('names every limit passed, in the order of the policy file', async () => {
      const decision = await decide({
        amountOre: 1_500_000,
        unpaidTotalOre: 2_500_000,
        requestedDays: 45,
        daysPastDue: 3,
      });
      expect(codes(decision)).toEqual([
        'too-many-days',
        'asked-after-due-date',
        'amount-over-limit',
        'total-outstanding-over-limit',
      ]);
    });

    it('gives the same decision and trace for the same facts', async () => {
      const facts = approvableFacts({ amountOre: 1_200_000, deferralsLast6Months: 5 });
      const [first, second] = [await evaluate(policy, facts), await evaluate(policy, facts)];
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    });
  });

  describe('trace', () => {
    it('lists every rule in file order with its priority and whether it fired', async () => {
      const decision = await decide({ amountOre: 1_000_000 });
      expect(decision.trace.map((r) => [r.name, r.priority, r.fired])).toEqual([
        ['reject-in-collection', 100, false],
        ['reject-already-deferred', 100, false],
        ['approve-within-limits', 50, false],
        ['review-invoice-not-open', 10, false],
        ['review-too-few-days', 10, false],
        ['review-too-many-days', 10, false],
        ['review-asked-after-due-date', 10, false],
        ['review-amount-over-limit', 10, true],
        ['review-too-many-deferrals', 10, false],
        ['review-total-outstanding-over-limit', 10, false],
        ['review-too-many-unpaid-invoices', 10, false],
        ['reject-recent-debt-collection', 10, false],
      ]);
    });

    it('records the fact value seen, the resolved parameter and the result of each condition', async () => {
      const decision = await decide({ amountOre: 1_000_000, unpaidInvoiceCount: 2 });
      expect(leaf(decision, 'approve-within-limits', 'amountOre')).toEqual({
        kind: 'fact',
        fact: 'amountOre',
        operator: 'lessThan',
        factValue: 1_000_000,
        compareTo: 1_000_000,
        parameter: 'maxAmountOre',
        result: false,
      });
      expect(leaf(decision, 'approve-within-limits', 'unpaidInvoiceCount')).toMatchObject({
        factValue: 2,
        compareTo: 2,
        result: true,
      });
      expect(leaf(decision, 'reject-in-collection', 'inCollection')).toMatchObject({
        factValue: false,
        compareTo: true,
        result: false,
      });
    });

    it('evaluates every condition, so the trace has no gaps', async () => {
      const decision = await decide({ inCollection: true, invoiceStatus: 'INKASSO' });
      const results = (node: ConditionTrace): (boolean | null)[] =>
        node.kind === 'fact' ? [node.result] : [node.result, ...node.conditions.flatMap(results)];
      expect(decision.trace.flatMap((r) => results(r.conditions))).not.toContain(null);
    });
  });

  describe('parameters', () => {
    it('change the outcome without any change to the rules', async () => {
      const json = defaultPolicyJson();
      const rulesBefore = JSON.stringify(getAt(json, '/rules'));
      setAt(json, '/parameters/maxAmountOre/value', 2_000_000);
      setAt(json, '/parameters/maxDeferralDays/value', 45);
      const relaxed = compileText(JSON.stringify(json));
      const facts = approvableFacts({
        amountOre: 1_500_000,
        unpaidTotalOre: 1_500_000,
        requestedDays: 45,
      });
      expect((await evaluate(policy, facts)).outcome).toBe('manual_review');
      expect((await evaluate(relaxed, facts)).outcome).toBe('approved');
      expect(JSON.stringify(getAt(json, '/rules'))).toBe(rulesBefore);
      expect(relaxed.hash).not.toBe(policy.hash);
    });
  });

  describe('facts', () => {
    it('refuses to decide when a fact is missing', async () => {
      const facts: Partial<DeferralFacts> = approvableFacts();
      delete facts.amountOre;
      await expect(evaluate(policy, facts as DeferralFacts)).rejects.toThrow(InvalidFactsError);
      await expect(evaluate(policy, facts as DeferralFacts)).rejects.toThrow(
        /amountOre: Invalid input: expected number/,
      );
    });

    it('refuses an amount that is not whole øre, a date that does not exist and a fact it does not know', async () => {
      const facts = {
        ...approvableFacts({ amountOre: 100.5, requestedDueDate: '2026-02-30' }),
        amountKr: 1,
      };
      await expect(evaluate(policy, facts)).rejects.toThrow(
        /amountOre: .*requestedDueDate: must be a calendar date.*Unrecognized key: "amountKr"/,
      );
    });

    it('leaves an undefined fact an error inside the engine too', async () => {
      const facts: Partial<DeferralFacts> = approvableFacts();
      delete facts.unpaidTotalOre;
      await expect(policy.run(facts)).rejects.toThrow('Undefined fact: unpaidTotalOre');
    });
  });

  describe('outcome precedence', () => {
    it('approves when an approve rule and a manual-review rule both fire', async () => {
      const json = defaultPolicyJson();
      setAt(json, '/rules/3/conditions', {
        all: [{ fact: 'alreadyDeferred', operator: 'equal', value: false }],
      });
      const decision = await evaluate(compileText(JSON.stringify(json)), approvableFacts());
      expect(decision.trace[3].fired).toBe(true);
      expect(decision.outcome).toBe('approved');
      expect(codes(decision)).toEqual(['within-limits']);
    });

    it('sends to manual review with a general reason when no rule fires', async () => {
      const json = defaultPolicyJson();
      for (let i = 10; i >= 2; i--) removeAt(json, `/rules/${i}`);
      const decision = await evaluate(compileText(JSON.stringify(json)), approvableFacts());
      expect(decision.outcome).toBe('manual_review');
      expect(codes(decision)).toEqual(['no-rule-matched']);
    });
  });
});
