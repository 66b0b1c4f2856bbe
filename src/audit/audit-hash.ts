import { hash } from 'node:crypto';

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
  /** `sha256Hex(canonicalJson(payload))`: the entry commits to its payload through this hash. */
  readonly payloadHash: string;
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * sha256 over the fields joined by line feeds, the payload by its sha256. The fields cannot
 * contain a line feed themselves (ids are uuids, type and subjectId are checked at append, hashes
 * are hex), so no two different entries hash the same input. Hashing the payload's hash rather
 * than the payload lets a verifier read each payload once: one pass over it checks the stored
 * payload hash, and the entry hash then costs a few hundred bytes, not the whole payload again.
 */
export function auditEntryHash(link: AuditLink): string {
  return sha256Hex(
    `${link.prevHash}\n${link.seq}\n${link.municipalityId}\n${link.type}\n${link.subjectId}\n${link.createdAtIso}\n${link.payloadHash}`,
  );
}
