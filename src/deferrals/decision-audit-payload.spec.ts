import { assertAuditPayload } from '../audit/audit-payload';
import type { Decision } from '../policy/engine/decision';
import { evaluate } from '../policy/engine/policy-evaluator';
import { approvableFacts, compiledDefaultPolicy } from '../policy/policy.test-factory';
import { decisionAuditPayload, traceSha256 } from './decision-audit-payload';

const policy = compiledDefaultPolicy();

function payloadOf(decision: Decision, facts: object) {
  return decisionAuditPayload({
    reference: 'UTS-ABCD-EFGH',
    invoiceId: 'inv-1',
    invoiceNumber: '1001',
    requestedDueDate: '2026-04-10',
    policy: {
      id: decision.policyId,
      version: decision.policyVersion,
      hash: decision.policyHash,
      versionId: 'version-row-1',
    },
    facts,
    trace: decision.trace,
    outcome: decision.outcome,
    newDueDate: decision.newDueDate,
    reasons: decision.reasons,
    language: 'nn',
  });
}

describe('decisionAuditPayload', () => {
  it('records the facts, the rule version, every rule with whether it fired, the outcome and the reasons', async () => {
    const facts = approvableFacts();
    const decision = await evaluate(policy, facts);
    const payload = payloadOf(decision, facts);

    assertAuditPayload(payload);
    expect(payload).toMatchObject({
      reference: 'UTS-ABCD-EFGH',
      facts: { ...facts },
      policy: { id: decision.policyId, hash: policy.hash, versionId: 'version-row-1' },
      outcome: 'approved',
      newDueDate: '2026-04-10',
      reasons: decision.reasons.map((r) => ({ code: r.code, text: { ...r.text } })),
      language: 'nn',
    });
    const rules = payload.rules as { name: string; fired: boolean }[];
    expect(rules.map((r) => r.name)).toEqual(decision.trace.map((r) => r.name));
    expect(rules.filter((r) => r.fired).map((r) => r.name)).toEqual(['approve-within-limits']);
    expect(payload).not.toHaveProperty('trace');
  });

  it('ties itself to the full trace by its hash: any change to a stored condition shows', async () => {
    const facts = approvableFacts();
    const decision = await evaluate(policy, facts);
    const payload = payloadOf(decision, facts);
    expect(payload.traceSha256).toBe(traceSha256(decision.trace));

    // The trace as read back from a JSON column (keys in another order) has the same hash.
    const reordered = JSON.parse(
      JSON.stringify(decision.trace, (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      ),
    ) as Decision['trace'];
    expect(traceSha256(reordered)).toBe(payload.traceSha256);

    const altered = JSON.parse(JSON.stringify(decision.trace)) as {
      conditions: { conditions: { result: boolean }[] };
    }[];
    altered[0].conditions.conditions[0].result = !altered[0].conditions.conditions[0].result;
    expect(traceSha256(altered as unknown as Decision['trace'])).not.toBe(payload.traceSha256);
  });

  it('is a fraction of the size of the full trace', async () => {
    const facts = approvableFacts();
    const decision = await evaluate(policy, facts);
    const size = JSON.stringify(payloadOf(decision, facts)).length;
    expect(size).toBeLessThan(JSON.stringify(decision.trace).length / 2);
  });
});
