import { hash } from 'node:crypto';
import { canonicalJson } from '../policy/policy-hash';

/** The prevHash of every chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers, in the order they are hashed. */
export interface AuditLink {
  readonly prevHash: string;
  readonly seq: number;
  readonly municipalityId: string;
  readonly type: string;
  readonly subjectId: string;
  /** `Date#toISOString()` of createdAt. */
  readonly createdAtIso: string;
  /** `canonicalJson(payload)`. */
  readonly canonicalPayload: string;
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * sha256 over the fields joined by line feeds. The fields cannot contain a line feed themselves
 * (ids are uuids, type and subjectId are checked at append, the payload is JSON with escaped
 * control characters), so no two different entries hash the same input.
 */
export function auditEntryHash(link: AuditLink): string {
  return sha256Hex(
    `${link.prevHash}\n${link.seq}\n${link.municipalityId}\n${link.type}\n${link.subjectId}\n${link.createdAtIso}\n${link.canonicalPayload}`,
  );
}

export { canonicalJson };
