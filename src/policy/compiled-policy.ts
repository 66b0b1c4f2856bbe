import { Engine, type EngineResult, type RuleProperties } from 'json-rules-engine';
import { policyHash } from './policy-hash';
import type { Policy, ParameterValue } from './policy.types';

const MAX_IDLE_ENGINES = 8;

/**
 * A policy ready to run. json-rules-engine's `Engine.run` is not re-entrant: the engine keeps one
 * `status` field, and when one run finishes it flips it to FINISHED, so another run still in flight
 * on the same engine silently skips its remaining priority levels (see compiled-policy.spec.ts).
 * Each evaluation therefore borrows an engine of its own from a small pool; sequential traffic
 * reuses the one engine built here, concurrent traffic builds a few more, once.
 */
export class CompiledPolicy {
  /** Parameter name → value; the `parameters` fact the rules' `{ fact: 'parameters', path }` read. */
  readonly parameterValues: Readonly<Record<string, ParameterValue>>;
  private readonly idle: Engine[] = [];

  constructor(
    readonly policy: Policy,
    readonly hash: string,
  ) {
    this.parameterValues = Object.freeze(
      Object.fromEntries(
        Object.entries(policy.parameters).map(([name, parameter]) => [name, parameter.value]),
      ),
    );
    this.idle.push(this.buildEngine());
  }

  /** Runs every rule (nothing stops the engine early), so the result covers the whole policy. */
  async run(facts: Record<string, unknown>): Promise<EngineResult> {
    const engine = this.idle.pop() ?? this.buildEngine();
    // A run that rejects may leave work queued on its engine; such an engine is not reused.
    const result = await engine.run(facts);
    if (this.idle.length < MAX_IDLE_ENGINES) this.idle.push(engine);
    return result;
  }

  private buildEngine(): Engine {
    // The engine's Condition objects are built from (and may write to) what they are given: hand
    // them a copy, so the frozen policy stays the single, untouched source.
    const rules = structuredClone(this.policy.rules) as unknown as RuleProperties[];
    const engine = new Engine(rules, {
      allowUndefinedFacts: false,
      allowUndefinedConditions: false,
    });
    engine.addFact('parameters', this.parameterValues);
    return engine;
  }
}

/** Builds each policy version once and keeps the most recently used few, keyed by content hash. */
export class PolicyCompiler {
  private readonly byHash = new Map<string, CompiledPolicy>();
  private readonly byObject = new WeakMap<Policy, CompiledPolicy>();

  constructor(private readonly capacity = 32) {}

  compile(policy: Policy): CompiledPolicy {
    const known = this.byObject.get(policy);
    if (known && this.byHash.has(known.hash)) return this.touch(known);
    const hash = policyHash(policy);
    const compiled = this.byHash.get(hash) ?? new CompiledPolicy(policy, hash);
    this.byObject.set(policy, compiled);
    return this.touch(compiled);
  }

  get size(): number {
    return this.byHash.size;
  }

  private touch(compiled: CompiledPolicy): CompiledPolicy {
    this.byHash.delete(compiled.hash);
    this.byHash.set(compiled.hash, compiled);
    if (this.byHash.size > this.capacity)
      this.byHash.delete(this.byHash.keys().next().value as string);
    return compiled;
  }
}
