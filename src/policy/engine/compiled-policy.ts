import { Engine, type EngineResult, Fact, type RuleProperties } from 'json-rules-engine';
import {
  compileRules,
  type Facts,
  resolveParameterPath,
  type RuleTracer,
  UnsupportedRuleError,
} from './compiled-rules';
import type { RuleTrace } from './decision';
import { policyHash } from '../loading/policy-hash';
import type { Policy, ParameterValue } from '../policy.types';

/** Engines kept for reuse; as many as evaluations were ever in flight at once, up to this. */
const MAX_IDLE_ENGINES = 256;

export type PolicyEvaluator = 'compiled-rules' | 'json-rules-engine';

/**
 * A policy ready to run, two ways that give the same decisions:
 *
 * - `traceRules`: the rule JSON compiled to plain functions (compiled-rules.ts), what `evaluate`
 *   uses. Synchronous, allocation-light, shares nothing mutable between evaluations.
 * - `run`: json-rules-engine, the engine of record and the reference the compiled rules are tested
 *   against (compiled-rules.property.spec.ts); `evaluateWithEngine` decides with it. A policy using
 *   anything the compiled rules do not model is evaluated only by the engine.
 *
 * json-rules-engine's `Engine.run` is not re-entrant: the engine keeps one `status` field, and when
 * one run finishes it flips it to FINISHED, so another run still in flight on the same engine
 * silently skips its remaining priority levels (see compiled-policy.spec.ts). Each engine run
 * therefore borrows an engine of its own from a pool; the pool keeps every engine it had to build
 * (up to MAX_IDLE_ENGINES), so concurrent traffic builds engines once, not on every evaluation.
 */
export class CompiledPolicy {
  /** Parameter name → value; the `parameters` fact the rules' `{ fact: 'parameters', path }` read. */
  readonly parameterValues: Readonly<Record<string, ParameterValue>>;
  /** What `evaluate` decides with for this policy. */
  readonly evaluator: PolicyEvaluator;
  private readonly tracer?: RuleTracer;
  private readonly engineRules: readonly RuleProperties[];
  private readonly parametersFact: Fact;
  private readonly idle: Engine[] = [];

  constructor(
    readonly policy: Policy,
    readonly hash: string,
    options: { evaluator?: PolicyEvaluator } = {},
  ) {
    this.parameterValues = Object.freeze(
      Object.fromEntries(
        Object.entries(policy.parameters).map(([name, parameter]) => [name, parameter.value]),
      ),
    );
    this.engineRules = engineRulesOf(policy);
    // Constant; `cache: false` only skips hashing a cache key for it on every run.
    this.parametersFact = new Fact('parameters', this.parameterValues, { cache: false });
    // Built now, so json-rules-engine checks the rules when the policy is compiled.
    this.idle.push(this.buildEngine());
    this.tracer = options.evaluator === 'json-rules-engine' ? undefined : tryCompile(this);
    this.evaluator = this.tracer ? 'compiled-rules' : 'json-rules-engine';
  }

  /** The trace of every rule from the compiled rules; undefined when only the engine can run this policy. */
  traceRules(facts: Facts): RuleTrace[] | undefined {
    return this.tracer?.(facts);
  }

  /** json-rules-engine. Runs every rule (nothing stops the engine early), so the result covers the whole policy. */
  async run(facts: Record<string, unknown>): Promise<EngineResult> {
    const engine = this.idle.pop() ?? this.buildEngine();
    // Facts as Fact objects with caching off: they are constants, so the almanac's cache (keyed by
    // a hash-it hash of each fact, computed on every run) is never read.
    const runtimeFacts: Record<string, Fact> = {};
    for (const id in facts) runtimeFacts[id] = new Fact(id, facts[id], { cache: false });
    // A run that rejects may leave work queued on its engine; such an engine is not reused.
    const result = await engine.run(runtimeFacts);
    if (this.idle.length < MAX_IDLE_ENGINES) this.idle.push(engine);
    return result;
  }

  private buildEngine(): Engine {
    // The engine's Condition objects are built from (and may write to) what they are given: hand
    // them a copy, so the frozen policy stays the single, untouched source.
    const rules = structuredClone(this.engineRules) as RuleProperties[];
    const engine = new Engine(rules, {
      allowUndefinedFacts: false,
      allowUndefinedConditions: false,
      pathResolver: resolveParameterPath,
    });
    engine.addFact(this.parametersFact);
    return engine;
  }
}

function tryCompile(compiled: CompiledPolicy): RuleTracer | undefined {
  try {
    return compileRules(compiled.policy, compiled.parameterValues);
  } catch (error) {
    if (error instanceof UnsupportedRuleError) return undefined;
    throw error;
  }
}

/**
 * The rules as the engine gets them. The event carries only its type and reason: the engine clones
 * each rule's event on every run, and the decision takes texts and parameters from the policy.
 */
function engineRulesOf(policy: Policy): readonly RuleProperties[] {
  return policy.rules.map((rule) => ({
    name: rule.name,
    priority: rule.priority,
    conditions: rule.conditions as unknown as RuleProperties['conditions'],
    event: { type: rule.event.type, params: { reason: rule.event.params.reason } },
  }));
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

  /** The compiled policy of a content hash, if it is still kept. */
  cached(hash: string): CompiledPolicy | undefined {
    const known = this.byHash.get(hash);
    return known && this.touch(known);
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
