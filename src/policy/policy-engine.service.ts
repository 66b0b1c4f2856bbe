import { Injectable, Logger } from '@nestjs/common';
import { type CompiledPolicy, PolicyCompiler } from './engine/compiled-policy';
import type { Decision } from './engine/decision';
import {
  allowedDeferralWindow,
  type DeferralWindow,
  type InvoiceForWindow,
} from './engine/deferral-window';
import type { DeferralFacts } from './engine/facts';
import { evaluate } from './engine/policy-evaluator';
import { loadPolicy } from './loading/policy-loader';
import { StoredPolicyError } from './policy.errors';
import { formatPolicyError } from './policy.types';

/**
 * The policy engine as a Nest provider: compiles stored versions (once per content hash, shared
 * by every municipality that uses the same rules) and runs them. Facts in, decision out; it knows
 * nothing of HTTP, sessions or the finance system.
 */
@Injectable()
export class PolicyEngineService {
  private readonly logger = new Logger('Policy');
  private readonly compiler = new PolicyCompiler();

  /** A stored version, ready to run; refused if its text no longer matches its stored hash. */
  compileStored(hash: string, text: string): CompiledPolicy {
    const known = this.compiler.cached(hash);
    if (known) return known;
    const loaded = loadPolicy(text);
    if (!loaded.ok)
      throw new StoredPolicyError(
        hash,
        `does not validate: ${loaded.errors.map(formatPolicyError).join('; ')}`,
      );
    if (loaded.hash !== hash) throw new StoredPolicyError(hash, 'does not match its stored text');
    const compiled = this.compiler.compile(loaded.policy);
    this.logger.log(
      `Compiled policy ${compiled.policy.id} ${compiled.policy.version} (${hash.slice(0, 12)}), evaluated by ${compiled.evaluator}`,
    );
    return compiled;
  }

  evaluate(facts: DeferralFacts, compiled: CompiledPolicy): Promise<Decision> {
    return evaluate(compiled, facts);
  }

  allowedWindow(invoice: InvoiceForWindow, compiled: CompiledPolicy): DeferralWindow {
    return allowedDeferralWindow(compiled.policy, invoice);
  }
}
