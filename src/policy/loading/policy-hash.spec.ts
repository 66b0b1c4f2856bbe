import { policyHash } from './policy-hash';
import { canonicalJson } from '../../shared/canonical-json';
import { loadPolicy } from './policy-loader';
import { defaultPolicyJson, defaultPolicyText } from '../policy.test-factory';

describe('policy-hash', () => {
  describe(canonicalJson.name, () => {
    it('sorts keys at every level and keeps array order', () => {
      expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe(
        '{"a":{"c":"x","d":[3,1]},"b":1}',
      );
    });

    it('refuses numbers JSON cannot hold', () => {
      expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    });
  });

  describe(policyHash.name, () => {
    it('is the same when only whitespace and key order change', () => {
      const compact = JSON.stringify(defaultPolicyJson());
      const reordered = JSON.stringify(
        Object.fromEntries(Object.entries(defaultPolicyJson()).reverse()),
        null,
        4,
      );
      const hashes = [defaultPolicyText(), compact, reordered].map((text) => {
        const result = loadPolicy(text);
        return result.ok ? result.hash : 'refused';
      });
      expect(new Set(hashes).size).toBe(1);
      expect(hashes[0]).toBe(policyHash(JSON.parse(defaultPolicyText())));
    });

    it('changes when a parameter value changes', () => {
      const json = defaultPolicyJson() as { parameters: { maxDeferralDays: { value: number } } };
      const before = policyHash(json);
      json.parameters.maxDeferralDays.value = 31;
      expect(policyHash(json)).not.toBe(before);
    });

    it('changes when the order of the rules changes', () => {
      const json = defaultPolicyJson() as { rules: unknown[] };
      const before = policyHash(json);
      json.rules.reverse();
      expect(policyHash(json)).not.toBe(before);
    });
  });
});
