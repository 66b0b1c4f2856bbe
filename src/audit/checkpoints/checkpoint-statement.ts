import { type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';

/** Names what the statement is, so a signature over it cannot be passed off as anything else. */
export const CHECKPOINT_KIND = 'minside-faktura/audit-checkpoint';

/**
 * What a checkpoint says, and all that is signed: "at `time`, entry `seq` of this municipality's
 * audit chain had hash `hash`". The hash covers every entry before it, so this vouches for the whole
 * chain up to `seq`.
 */
export interface CheckpointStatement {
  readonly kind: typeof CHECKPOINT_KIND;
  readonly v: 1;
  readonly municipalityId: string;
  /** The municipality's slug when the checkpoint was made; absent for a chain without its row. */
  readonly municipality?: string;
  readonly seq: number;
  readonly hash: string;
  /** ISO 8601, UTC, milliseconds. */
  readonly time: string;
  readonly keyId: string;
}

/** The statement as the exact text that is signed and stored: canonical JSON. */
export function statementText(statement: Omit<CheckpointStatement, 'kind' | 'v'>): string {
  return canonicalJson({ ...statement, kind: CHECKPOINT_KIND, v: 1 });
}

/** Ed25519 over the statement's UTF-8 bytes, base64url. */
export function signStatement(text: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64url');
}

/** The first of `keys` the signature verifies under, or undefined. */
export function signedBy(
  text: string,
  signature: string,
  keys: readonly KeyObject[],
): KeyObject | undefined {
  const bytes = Buffer.from(text, 'utf8');
  const sig = Buffer.from(signature, 'base64url');
  // Ed25519 signatures are 64 bytes; anything else is not one, whatever verify would say.
  if (sig.length !== 64) return undefined;
  return keys.find((key) => verify(null, bytes, key, sig));
}

/** The statement a signed text holds, or undefined when it is not one (the signature may be fine). */
export function parseStatement(text: string): CheckpointStatement | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = value as Partial<CheckpointStatement> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    s.kind !== CHECKPOINT_KIND ||
    s.v !== 1 ||
    typeof s.municipalityId !== 'string' ||
    !Number.isSafeInteger(s.seq) ||
    typeof s.hash !== 'string' ||
    typeof s.time !== 'string' ||
    typeof s.keyId !== 'string'
  )
    return undefined;
  return s as CheckpointStatement;
}
