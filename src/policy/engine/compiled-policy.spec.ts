import { Engine } from 'json-rules-engine';
import { CompiledPolicy, PolicyCompiler } from './compiled-policy';
import { evaluate, evaluateWithEngine } from './policy-evaluator';
import { loadPolicy } from '../loading/policy-loader';
import {
  approvableFacts,
  compiledDefaultPolicy,
  defaultPolicyJson,
  defaultPolicyText,
} from '../policy.test-factory';
import type { Policy } from '../policy.types';

function defaultPolicy(): Policy {
  const result = loadPolicy(defaultPolicyText());
  if (!result.ok) throw new Error('default policy refused');
  return result.policy;
}

/** Starts `second` after `ticks` microtasks, so two runs interleave at a chosen point. */
async function afterMicrotasks<T>(ticks: number, second: () => Promise<T>): Promise<T> {
  for (let i = 0; i < ticks; i++) await Promise.resolve();
  return second();
}

describe(CompiledPolicy.name, () => {
  describe('json-rules-engine itself', () => {
    // Documents why CompiledPolicy pools engines: if this starts failing, a newer json-rules-engine
    // made `run` re-entrant and the pool could become a single shared engine.
    it('drops lower-priority rules when two runs overlap on one engine', async () => {
      const rule = (name: string, priority: number) => ({
        name,
        priority,
        conditions: { all: [{ fact: 'x', operator: 'greaterThan', value: 1 }] },
        event: { type: name },
      });
      const engine = new Engine([rule('high', 10), rule('low', 1)]);
      const counts: number[] = [];
      for (let ticks = 0; ticks < 40; ticks++) {
        const [, second] = await Promise.all([
          engine.run({ x: 5 }),
          afterMicrotasks(ticks, () => engine.run({ x: 5 })),
        ]);
        counts.push(second.results.length + second.failureResults.length);
      }
      expect(counts).toContain(1);
    });
  });

  describe('run', () => {
    it.each([
      ['the compiled rules', evaluate],
      ['json-rules-engine', evaluateWithEngine],
    ] as const)(
      'evaluates every rule in each of many overlapping evaluations, with %s',
      async (_name, decide) => {
        const compiled = compiledDefaultPolicy();
        const facts = Array.from({ length: 60 }, (_, i) =>
          approvableFacts({ amountOre: 990_000 + i * 500 }),
        );
        const sequential = [];
        for (const f of facts) sequential.push(await decide(compiled, f));
        // Twice: the second round runs on the engines the first one had to build.
        for (let round = 0; round < 2; round++) {
          const overlapping = await Promise.all(
            facts.map((f, i) => afterMicrotasks(i % 25, () => decide(compiled, f))),
          );
          expect(overlapping).toEqual(sequential);
          expect(overlapping.map((d) => d.outcome)).toContain('approved');
          expect(overlapping.map((d) => d.outcome)).toContain('manual_review');
        }
      },
    );

    it('builds engines only for concurrency it has not seen before', async () => {
      const compiled = compiledDefaultPolicy();
      const built = jest.spyOn(compiled as unknown as { buildEngine(): Engine }, 'buildEngine');
      const inFlight = () =>
        Promise.all(
          Array.from({ length: 50 }, () => evaluateWithEngine(compiled, approvableFacts())),
        );
      await inFlight();
      const afterFirst = built.mock.calls.length;
      expect(afterFirst).toBeGreaterThan(0);
      await inFlight();
      await inFlight();
      expect(built.mock.calls.length).toBe(afterFirst);
    });

    it('gives the parameters to the rules as the `parameters` fact', () => {
      expect(compiledDefaultPolicy().parameterValues).toMatchObject({
        maxAmountOre: 1_000_000,
        maxDeferralDays: 30,
      });
    });

    it('leaves the policy it was built from untouched', async () => {
      const policy = defaultPolicy();
      const before = JSON.stringify(policy);
      const compiled = new CompiledPolicy(policy, 'h');
      await evaluate(compiled, approvableFacts());
      await evaluateWithEngine(compiled, approvableFacts());
      expect(JSON.stringify(policy)).toBe(before);
    });
  });
});

describe(PolicyCompiler.name, () => {
  describe('compile', () => {
    it('builds a policy once and returns the same compiled policy for the same content', () => {
      const compiler = new PolicyCompiler();
      const first = compiler.compile(defaultPolicy());
      const sameContentOtherObject = compiler.compile(defaultPolicy());
      expect(sameContentOtherObject).toBe(first);
      expect(compiler.size).toBe(1);
    });

    it('builds a new one when the content differs', () => {
      const compiler = new PolicyCompiler();
      const json = defaultPolicyJson() as { version: string };
      json.version = '2026.2';
      const other = loadPolicy(JSON.stringify(json));
      if (!other.ok) throw new Error('refused');
      expect(compiler.compile(other.policy)).not.toBe(compiler.compile(defaultPolicy()));
      expect(compiler.size).toBe(2);
    });

    it('forgets the least recently used policy beyond its capacity', () => {
      const compiler = new PolicyCompiler(2);
      const versions = ['2026.2', '2026.3', '2026.4'].map((version) => {
        const json = { ...defaultPolicyJson(), version };
        const result = loadPolicy(JSON.stringify(json));
        if (!result.ok) throw new Error('refused');
        return result.policy;
      });
      const first = compiler.compile(versions[0]);
      compiler.compile(versions[1]);
      compiler.compile(versions[0]);
      compiler.compile(versions[2]);
      expect(compiler.size).toBe(2);
      expect(compiler.compile(versions[0])).toBe(first);
    });
  });
});
