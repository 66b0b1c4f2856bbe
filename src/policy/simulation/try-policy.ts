import { checkFacts } from '../engine/check-facts';
import { CompiledPolicy } from '../engine/compiled-policy';
import { evaluate } from '../engine/policy-evaluator';
import { loadPolicy } from '../loading/policy-loader';
import { InvalidFactsError } from '../policy.errors';
import type { PolicyError } from '../policy.types';
import type { TryPolicyResult } from './simulation.types';

/** Policy text to a runnable policy, or its load errors. */
export function compilePolicyText(
  text: string,
): { ok: true; compiled: CompiledPolicy } | { ok: false; errors: readonly PolicyError[] } {
  const loaded = loadPolicy(text);
  if (!loaded.ok) return loaded;
  return { ok: true, compiled: new CompiledPolicy(loaded.policy, loaded.hash) };
}

/**
 * One case under the draft and the active version, side by side: the same `evaluate` residents'
 * decisions use, on the facts as given (a past request's recorded facts, or facts entered by hand,
 * which are checked here exactly as a decision checks them).
 */
export async function tryPolicy(
  draft: string | CompiledPolicy,
  active: string | CompiledPolicy,
  facts: unknown,
): Promise<TryPolicyResult> {
  const draftCompiled = typeof draft === 'string' ? compilePolicyText(draft) : ok(draft);
  if (!draftCompiled.ok) return { ok: false, refused: 'draft', errors: draftCompiled.errors };
  const activeCompiled = typeof active === 'string' ? compilePolicyText(active) : ok(active);
  if (!activeCompiled.ok) return { ok: false, refused: 'active', errors: activeCompiled.errors };
  let checked;
  try {
    checked = checkFacts(facts);
  } catch (error) {
    if (error instanceof InvalidFactsError)
      return { ok: false, refused: 'facts', problems: error.problems };
    throw error;
  }
  const activeDecision = await evaluate(activeCompiled.compiled, checked);
  const draftDecision = await evaluate(draftCompiled.compiled, checked);
  return {
    ok: true,
    facts: checked,
    active: activeDecision,
    draft: draftDecision,
    outcomeChanged: activeDecision.outcome !== draftDecision.outcome,
  };
}

function ok(compiled: CompiledPolicy): { ok: true; compiled: CompiledPolicy } {
  return { ok: true, compiled };
}
