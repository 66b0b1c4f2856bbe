import { InvalidAuditEntryError } from './audit.errors';

/** What an audit payload may hold: plain JSON, with dates already written as ISO strings. */
export type AuditJson =
  string | number | boolean | null | readonly AuditJson[] | { readonly [key: string]: AuditJson };
export type AuditPayload = { readonly [key: string]: AuditJson };

/**
 * Rejects anything whose canonical JSON would not survive a round trip through the database
 * unchanged: a Date (its ISO form must be chosen by the caller), undefined (silently dropped),
 * NaN/Infinity, class instances, cycles, and strings PostgreSQL's jsonb refuses (NUL, lone
 * surrogates). Otherwise the stored entry would no longer match its own hash.
 */
export function assertAuditPayload(payload: unknown): asserts payload is AuditPayload {
  if (!isPlainObject(payload))
    throw new InvalidAuditEntryError(`payload must be a plain object, got ${describe(payload)}`);
  check(payload, 'payload', new Set());
}

function check(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      return checkString(value, path);
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new InvalidAuditEntryError(`${path} is ${value}; only finite numbers are JSON`);
      return;
    case 'object':
      break;
    default:
      throw new InvalidAuditEntryError(
        `${path} is ${describe(value)}; only JSON values are allowed`,
      );
  }
  if (value === null) return;
  if (ancestors.has(value)) throw new InvalidAuditEntryError(`${path} refers back to itself`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value))
        throw new InvalidAuditEntryError(`${path}[${i}] is a hole; only JSON values are allowed`);
      check(value[i], `${path}[${i}]`, ancestors);
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      checkString(key, `key ${JSON.stringify(key)} in ${path}`);
      check(value[key], `${path}.${key}`, ancestors);
    }
  } else {
    throw new InvalidAuditEntryError(
      `${path} is ${describe(value)}; write dates as ISO strings and use plain objects`,
    );
  }
  ancestors.delete(value);
}

const UNSTORABLE = /[\u0000\p{Cs}]/u;

function checkString(value: string, path: string): void {
  if (UNSTORABLE.test(value))
    throw new InvalidAuditEntryError(`${path} contains a NUL character or a lone surrogate`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
