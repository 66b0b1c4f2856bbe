import type { EntityManager } from '@mikro-orm/core';
import { canonicalJson } from '../../shared/canonical-json';
import type { AuditEntryType } from '../audit-entry-type';
import { AuditEntry } from '../audit-entry.entity';
import type { AuditEntryRef, AuditService } from '../audit.service';
import { AuditCheckpoint } from '../checkpoints/audit-checkpoint.entity';
import type { AuditCheckpoints } from '../checkpoints/audit-checkpoints';
import { parseStatement, signedBy } from '../checkpoints/checkpoint-statement';
import { fingerprintOf } from '../checkpoints/signing-key';
import {
  type InclusionProof,
  PROOF_KIND,
  PROOF_VERSION,
  type ProofLink,
} from './inclusion-proof.format';

/** An entry and whether a signed checkpoint covers it yet (a proof can be made). */
export interface LocatedEntry extends AuditEntryRef {
  /** The seq of the first checkpoint at or after the entry, or null before there is one. */
  readonly coveredBy: number | null;
}

export type ProofOutcome =
  | { readonly kind: 'proof'; readonly proof: InclusionProof; readonly text: string }
  | { readonly kind: 'notCovered'; readonly entry: LocatedEntry }
  | { readonly kind: 'none' };

/** What a subject's entry is looked up by: its municipality, its subject and the entry types. */
export interface EntryQuery {
  readonly municipalityId: string;
  readonly subjectId: string;
  /** The latest entry of these types is the one proven (an officer's decision after the policy's). */
  readonly types: readonly AuditEntryType[];
}

/**
 * Makes inclusion proofs of single entries (see `InclusionProof`): the entry, the entries after it
 * up to the first signed checkpoint at or after it, and that checkpoint. Checkpoints are made every
 * `intervalMinutes` (AUDIT_CHECKPOINT_MINUTES), so an entry newer than the last one waits for the
 * next before it can be proven.
 */
export class AuditInclusionProofs {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
    readonly intervalMinutes: number,
  ) {}

  async locate(query: EntryQuery): Promise<LocatedEntry | null> {
    const em = this.em.fork();
    const ref = await this.audit.latestAbout(
      em,
      query.municipalityId,
      query.subjectId,
      query.types,
    );
    if (!ref) return null;
    const covering = await this.coveringCheckpoint(em, query.municipalityId, ref.seq);
    return { ...ref, coveredBy: covering ? Number(covering.seq) : null };
  }

  async build(query: EntryQuery): Promise<ProofOutcome> {
    const em = this.em.fork();
    const { municipalityId } = query;
    const ref = await this.audit.latestAbout(em, municipalityId, query.subjectId, query.types);
    if (!ref) return { kind: 'none' };
    const checkpoint = await this.coveringCheckpoint(em, municipalityId, ref.seq);
    if (!checkpoint) return { kind: 'notCovered', entry: { ...ref, coveredBy: null } };
    const entry = await em.findOneOrFail(
      AuditEntry,
      { municipalityId, seq: ref.seq },
      { disableIdentityMap: true },
    );
    // The fields of the later entries only: the payloads of others never leave with a proof.
    const rows = await em.find(
      AuditEntry,
      { municipalityId, seq: { $gt: ref.seq, $lte: checkpoint.seq } },
      {
        orderBy: { seq: 'asc' },
        fields: ['seq', 'type', 'subjectId', 'createdAt', 'payloadHash', 'hash'],
        disableIdentityMap: true,
      },
    );
    const links = rows.map((row): ProofLink => ({
      seq: Number(row.seq),
      type: row.type,
      subjectId: row.subjectId,
      createdAtIso: row.createdAt.toISOString(),
      payloadHash: row.payloadHash,
      hash: row.hash,
    }));
    const trusted = this.checkpoints.trustedKeys();
    // The key that signed it, an earlier one after a key change; the portal's own otherwise.
    const key = signedBy(checkpoint.statement, checkpoint.signature, trusted) ?? trusted[0];
    const proof: InclusionProof = {
      kind: PROOF_KIND,
      v: PROOF_VERSION,
      municipalityId,
      municipality: parseStatement(checkpoint.statement)?.municipality ?? '',
      entry: {
        seq: Number(entry.seq),
        type: entry.type,
        subjectId: entry.subjectId,
        createdAt: entry.createdAt.toISOString(),
        payload: entry.payload,
        payloadHash: entry.payloadHash,
        prevHash: entry.prevHash,
        hash: entry.hash,
      },
      links,
      checkpoint: {
        statement: checkpoint.statement,
        signature: checkpoint.signature,
        keyId: checkpoint.keyId,
      },
      publicKey: {
        keyId: checkpoint.keyId,
        pem: key.export({ format: 'pem', type: 'spki' }).toString(),
        fingerprint: fingerprintOf(key),
      },
    };
    return { kind: 'proof', proof, text: canonicalJson(proof) };
  }

  /** The hash of the municipality's entry at `seq` as the database holds it, or null. */
  async hashAt(municipalityId: string, seq: number): Promise<string | null> {
    const row = await this.em
      .fork()
      .findOne(AuditEntry, { municipalityId, seq }, { fields: ['hash'], disableIdentityMap: true });
    return row?.hash ?? null;
  }

  private async coveringCheckpoint(em: EntityManager, municipalityId: string, seq: number) {
    return em.findOne(
      AuditCheckpoint,
      { municipalityId, seq: { $gte: seq } },
      { orderBy: { seq: 'asc' }, disableIdentityMap: true },
    );
  }
}
