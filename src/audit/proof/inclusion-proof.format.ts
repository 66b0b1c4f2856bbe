/**
 * A resident's proof that one entry is in their municipality's audit chain: the entry with its
 * payload, every later entry up to the first signed checkpoint at or after it (their fields
 * only, never the payloads of others), that checkpoint, and the public key it verifies under.
 * Recomputing the hashes from the entry to the checkpoint shows the signed head covers the entry
 * as it is. Written as canonical JSON and holding nothing of when it was asked for, so an entry's
 * proof is the same bytes whoever downloads it and whenever (its checkpoint never changes).
 */
export const PROOF_KIND = 'minside-faktura/audit-inclusion-proof';
export const PROOF_VERSION = 1;

export interface ProofEntry {
  readonly seq: number;
  readonly type: string;
  readonly subjectId: string;
  /** ISO 8601 with milliseconds, as hashed. */
  readonly createdAt: string;
  /** The entry's payload, the resident's own decision: its hash is recomputed from it. */
  readonly payload: unknown;
  readonly payloadHash: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** An entry after the proven one: what its hash covers, except its payload. */
export interface ProofLink {
  readonly seq: number;
  readonly type: string;
  readonly subjectId: string;
  readonly createdAtIso: string;
  readonly payloadHash: string;
  readonly hash: string;
}

export interface InclusionProof {
  readonly kind: typeof PROOF_KIND;
  readonly v: typeof PROOF_VERSION;
  readonly municipalityId: string;
  /** The municipality's slug when the proof was made, for the reader. */
  readonly municipality: string;
  readonly entry: ProofEntry;
  /** Entries seq+1 … the checkpoint's seq, in order; empty when the checkpoint is at the entry. */
  readonly links: readonly ProofLink[];
  readonly checkpoint: {
    /** The signed statement, exactly as signed (canonical JSON). */
    readonly statement: string;
    /** Ed25519 over the statement's UTF-8 bytes, base64url. */
    readonly signature: string;
    readonly keyId: string;
  };
  /** The key the checkpoint verifies under; compare its fingerprint with the published one. */
  readonly publicKey: {
    readonly keyId: string;
    readonly pem: string;
    readonly fingerprint: string;
  };
}
