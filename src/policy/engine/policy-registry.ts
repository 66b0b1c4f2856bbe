import { readFile } from 'node:fs/promises';
import { type CompiledPolicy, PolicyCompiler } from './compiled-policy';
import type { Decision } from './decision';
import {
  allowedDeferralWindow,
  type DeferralWindow,
  type InvoiceForWindow,
} from './deferral-window';
import type { DeferralFacts } from './facts';
import { evaluate } from './policy-evaluator';
import { loadPolicy } from '../loading/policy-loader';
import { InvalidPolicyFileError } from '../policy.errors';
import type { Policy, PolicyError, PolicyLoadResult } from '../policy.types';

/**
 * Loads, validates, compiles and runs deferral policies, and holds the one in force. A replacement
 * that does not validate is refused and the policy in force stays. Plain TypeScript, so it is
 * tested without Nest; `PolicyEngineService` is this class made injectable.
 */
export class PolicyRegistry {
  private readonly compiler = new PolicyCompiler();
  private current?: CompiledPolicy;

  /** Parse and validate policy text without putting it in force. */
  load(text: string): PolicyLoadResult {
    return loadPolicy(text);
  }

  validate(text: string): readonly PolicyError[] {
    const result = loadPolicy(text);
    return result.ok ? [] : result.errors;
  }

  /** Once per policy version: the same content (by hash) gives back the same compiled policy. */
  compile(policy: Policy): CompiledPolicy {
    return this.compiler.compile(policy);
  }

  /** Put new policy text in force if it validates; otherwise return why and keep the current one. */
  replace(text: string): PolicyLoadResult {
    const result = loadPolicy(text);
    if (result.ok) this.current = this.compile(result.policy);
    return result;
  }

  /** As `replace`, for a file; throws with the file's path and every error so start-up can refuse. */
  async replaceFromFile(path: string): Promise<CompiledPolicy> {
    const result = this.replace(await readFile(path, 'utf8'));
    if (!result.ok) throw new InvalidPolicyFileError(path, result.errors);
    return this.active();
  }

  hasPolicy(): boolean {
    return this.current !== undefined;
  }

  /** The policy in force. */
  active(): CompiledPolicy {
    if (!this.current) throw new Error('No deferral policy has been put in force');
    return this.current;
  }

  evaluate(facts: DeferralFacts, compiled: CompiledPolicy = this.active()): Promise<Decision> {
    return evaluate(compiled, facts);
  }

  allowedWindow(
    invoice: InvoiceForWindow,
    compiled: CompiledPolicy = this.active(),
  ): DeferralWindow {
    return allowedDeferralWindow(compiled.policy, invoice);
  }
}
