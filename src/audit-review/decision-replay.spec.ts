import { type PolicyVersion, PolicyEngineService } from '../policy';
import { evaluate } from '../policy/engine/policy-evaluator';
import {
  approvableFacts,
  compiledDefaultPolicy,
  defaultPolicyJson,
  defaultPolicyText,
} from '../policy/policy.test-factory';
import { loadPolicy } from '../policy/loading/policy-loader';
import { DecisionReplayer, type RecordedDecision, recordedVerdict } from './decision-replay';

const VERSION_ID = '11111111-1111-4111-8111-111111111111';

function storedVersion(text = defaultPolicyText()): PolicyVersion {
  const loaded = loadPolicy(text);
  if (!loaded.ok) throw new Error('the default policy does not load');
  return { id: VERSION_ID, hash: loaded.hash, text } as PolicyVersion;
}

/** A decision as the deferrals feature records it: the default policy's own, on these facts. */
async function recorded(facts = approvableFacts()): Promise<RecordedDecision> {
  const decision = await evaluate(compiledDefaultPolicy(), facts);
  return {
    id: 'r1',
    reference: 'UTS-TEST-0001',
    municipalityId: 'm1',
    policyVersionId: VERSION_ID,
    facts,
    reasons: decision.reasons,
    trace: decision.trace,
    outcome: decision.outcome,
    policyOutcome: decision.outcome,
    newDueDate: decision.newDueDate,
    requestedDueDate: facts.requestedDueDate,
    decidedBy: null,
  };
}

/** `null`: the decision names a version that is not stored. */
const replayer = (version: PolicyVersion | null = storedVersion()) =>
  new DecisionReplayer(new PolicyEngineService(), (municipalityId, id) =>
    version && municipalityId === 'm1' && id === version.id ? version : undefined,
  );

describe(DecisionReplayer.name, () => {
  describe('replay', () => {
    it('gives the recorded decision back, through json-rules-engine', async () => {
      const result = await replayer().replay(await recorded());
      expect(result).toMatchObject({ ok: true, differences: [] });
      if (!result.ok) return;
      expect(result.now.outcome).toBe('approved');
      expect(result.now.firedRules.length).toBeGreaterThan(0);
    });

    it('agrees for a manual review and a rejection too', async () => {
      for (const facts of [
        approvableFacts({ amountOre: 2_000_000, unpaidTotalOre: 2_000_000 }),
        approvableFacts({ inCollection: true, invoiceStatus: 'INKASSO' }),
      ]) {
        const decision = await recorded(facts);
        expect(decision.outcome).not.toBe('approved');
        expect(await replayer().replay(decision)).toMatchObject({ ok: true, differences: [] });
      }
    });

    it('names what differs when a recorded fact was changed afterwards', async () => {
      const decision = await recorded();
      const tampered = {
        ...decision,
        facts: { ...approvableFacts(), amountOre: 2_000_000, unpaidTotalOre: 2_000_000 },
      };
      const result = await replayer().replay(tampered);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.differences).toEqual(
        expect.arrayContaining([
          { what: 'outcome', recorded: 'approved', now: 'manual_review' },
          { what: 'newDueDate', recorded: decision.newDueDate, now: null },
        ]),
      );
      expect(result.differences.some((d) => d.what === 'reason')).toBe(true);
      expect(result.differences.some((d) => d.what === 'rule')).toBe(true);
    });

    it('replays the policy’s part of a case an officer decided', async () => {
      const review = await recorded(approvableFacts({ amountOre: 2_000_000 }));
      const byOfficer = {
        ...review,
        outcome: 'approved' as const,
        newDueDate: '2026-06-30',
        decidedBy: 'staff:siri',
      };
      expect(recordedVerdict(byOfficer)).toMatchObject({
        outcome: 'manual_review',
        newDueDate: null,
      });
      expect(await replayer().replay(byOfficer)).toMatchObject({ ok: true, differences: [] });
    });

    it('refuses a version whose text no longer hashes to its stored hash', async () => {
      const json = defaultPolicyJson();
      (json.parameters as { maxAmountOre: { value: number } }).maxAmountOre.value = 1;
      const rewritten = { ...storedVersion(), text: JSON.stringify(json) };
      expect(await replayer(rewritten).replay(await recorded())).toEqual({
        ok: false,
        problem: 'versionHash',
        details: [],
      });
    });

    it('says so when the version is gone or the facts no longer pass the check', async () => {
      expect(await replayer(null).replay(await recorded())).toMatchObject({
        ok: false,
        problem: 'versionMissing',
      });
      const broken = { ...(await recorded()), facts: { amountOre: 'many' } };
      const result = await replayer().replay(broken);
      expect(result).toMatchObject({ ok: false, problem: 'facts' });
      if (!result.ok) expect(result.details.length).toBeGreaterThan(0);
    });
  });
});
