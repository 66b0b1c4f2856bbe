import { readFile } from 'node:fs/promises';
import { parseJsonText } from './json-text';
import { policyHash } from './policy-hash';
import { nestingErrors } from './policy-nesting';
import { schemaErrors } from './policy-schema.validator';
import { semanticErrors } from './policy-semantics.validator';
import type { Policy, PolicyLoadResult } from '../policy.types';

/** Text in, a frozen `Policy` and its hash out, or every reason it was refused. Never throws. */
export function loadPolicy(text: string): PolicyLoadResult {
  try {
    return checkPolicy(text);
  } catch (error) {
    // Officers save policies from a form: whatever slips past the checks must be a refusal, not a 500.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, errors: [{ path: '', message: couldNotBeChecked(reason) }] };
  }
}

export function couldNotBeChecked(reason: string): string {
  return `could not be checked (${reason})`;
}

function checkPolicy(text: string): PolicyLoadResult {
  const parsed = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const { line, column } = parsed;
    return {
      ok: false,
      errors: [
        {
          path: '',
          message: `not valid JSON at line ${line}, column ${column}: ${parsed.message}`,
          line,
          column,
        },
      ],
    };
  }
  const tooDeep = nestingErrors(parsed.value);
  if (tooDeep.length > 0) return { ok: false, errors: tooDeep };
  const fromSchema = schemaErrors(parsed.value);
  if (fromSchema.length > 0) return { ok: false, errors: fromSchema };
  const policy = deepFreeze(parsed.value) as Policy;
  const fromMeaning = semanticErrors(policy);
  if (fromMeaning.length > 0) return { ok: false, errors: fromMeaning };
  return { ok: true, policy, hash: policyHash(policy) };
}

export async function loadPolicyFile(path: string): Promise<PolicyLoadResult> {
  return loadPolicy(await readFile(path, 'utf8'));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
