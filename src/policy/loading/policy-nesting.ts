import type { PolicyError } from '../policy.types';

/** The seed policies nest all/any/not one level deep; 32 leaves room for any policy written by hand. */
export const MAX_CONDITION_DEPTH = 32;
/**
 * Deep enough for conditions at the limit (two JSON levels per all/any, below /rules/n/conditions)
 * and nothing else: ajv, the semantic checks and the engine all recurse, and a stack overflow is
 * not a message an officer can act on.
 */
export const MAX_JSON_DEPTH = 2 * MAX_CONDITION_DEPTH + 8;

const BOOLEAN_KEYS = ['all', 'any', 'not'];

interface Visit {
  readonly value: unknown;
  readonly path: string;
  readonly depth: number;
  readonly conditionDepth: number;
}

/**
 * The first place where parsed JSON nests deeper than the limits, walked with a stack of its own so
 * that it cannot overflow; run before anything that recurses. An object with all, any or not is a
 * level of conditions.
 */
export function nestingErrors(json: unknown): PolicyError[] {
  const stack: Visit[] = [{ value: json, path: '', depth: 1, conditionDepth: 0 }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value, path, depth } = visit;
    if (value === null || typeof value !== 'object') continue;
    const isCondition =
      !Array.isArray(value) && BOOLEAN_KEYS.some((key) => Object.hasOwn(value, key));
    const conditionDepth = visit.conditionDepth + (isCondition ? 1 : 0);
    if (conditionDepth > MAX_CONDITION_DEPTH)
      return [{ path, message: conditionsTooDeep(MAX_CONDITION_DEPTH) }];
    if (depth > MAX_JSON_DEPTH) return [{ path, message: jsonTooDeep(MAX_JSON_DEPTH) }];
    // Pushed in reverse so the walk meets the file in document order.
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push({
        value: child,
        path: `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        depth: depth + 1,
        conditionDepth,
      });
    }
  }
  return [];
}

export function conditionsTooDeep(limit: number): string {
  return `conditions are nested more than ${limit} levels deep (all, any, not)`;
}

export function jsonTooDeep(limit: number): string {
  return `nested more than ${limit} levels deep`;
}
