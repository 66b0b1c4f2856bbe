import type { EntityManager } from '@mikro-orm/core';
import { SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';
import { insertRows, runPlain, writePlain } from '../database';
import { AuditChainHead } from './audit-chain-head.entity';
import { type AuditEntryType, isAuditEntryType } from './audit-entry-type';
import { AuditEntry } from './audit-entry.entity';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from './audit-hash';
import { canonicalJson } from '../shared/canonical-json';
import { assertAuditPayload, type AuditPayload } from './audit-payload';
import { InvalidAuditEntryError } from './audit.errors';

export interface AuditAppend {
  readonly municipalityId: string;
  readonly type: AuditEntryType;
  /** What the entry is about, e.g. the deferral request id; at most 100 characters. */
  readonly subjectId: string;
  /** Plain JSON; write dates as ISO strings. */
  readonly payload: AuditPayload;
}

export interface AppendedAuditEntry {
  readonly municipalityId: string;
  readonly seq: number;
  readonly type: AuditEntryType;
  readonly subjectId: string;
  readonly payloadHash: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly createdAt: Date;
}

/** Where an entry is in its chain: enough to name it to a person and to find it again. */
export interface AuditEntryRef {
  readonly seq: number;
  readonly type: AuditEntryType;
  readonly hash: string;
  readonly createdAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Appends to a municipality's audit chain. Stateless and free of Nest, so decisions, write-back
 * and policy publishing can call it inside their own transaction and the entry commits or rolls
 * back with what it records.
 */
export class AuditService {
  /**
   * `em` must be the caller's transactional EntityManager. Appends for one municipality queue on
   * its chain-head row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has one writer anyway), so
   * the caller's transaction should stay short and run at READ COMMITTED, the default.
   */
  async append(em: EntityManager, entry: AuditAppend): Promise<AppendedAuditEntry> {
    const [appended] = await this.appendMany(em, [entry]);
    return appended;
  }

  /**
   * Appends several entries in the caller's transaction, in the order given, taking each
   * municipality's head lock once: a batch of decisions committed together costs one lock, one
   * insert and one head update per municipality instead of one of each per entry. Heads are
   * locked in id order, so two batches for the same municipalities cannot deadlock.
   */
  async appendMany(
    em: EntityManager,
    entries: readonly AuditAppend[],
  ): Promise<AppendedAuditEntry[]> {
    entries.forEach(validate);
    if (!em.isInTransaction()) {
      throw new InvalidAuditEntryError(
        'append must run inside the transaction that stores what it records',
      );
    }
    if (entries.length === 0) return [];
    const payloadTexts = entries.map((entry) => canonicalJson(entry.payload));
    const payloadHashes = payloadTexts.map((text) => sha256Hex(text));
    const municipalities = [...new Set(entries.map((e) => e.municipalityId))].sort();
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const municipalityId of municipalities) {
      const { seq, hash } = await this.lockHead(em, municipalityId);
      heads.set(municipalityId, { seq, hash });
    }
    const createdAt = new Date();
    const appended = entries.map((entry, i): AppendedAuditEntry => {
      const head = heads.get(entry.municipalityId)!;
      const seq = head.seq + 1;
      const hash = auditEntryHash({
        prevHash: head.hash,
        seq,
        municipalityId: entry.municipalityId,
        type: entry.type,
        subjectId: entry.subjectId,
        createdAtIso: createdAt.toISOString(),
        payloadHash: payloadHashes[i],
      });
      const link: AppendedAuditEntry = {
        municipalityId: entry.municipalityId,
        seq,
        type: entry.type,
        subjectId: entry.subjectId,
        payloadHash: payloadHashes[i],
        prevHash: head.hash,
        hash,
        createdAt,
      };
      heads.set(entry.municipalityId, { seq, hash });
      return link;
    });
    // Plain statements with bound parameters (the database feature's `writePlain`): they run in
    // the caller's transaction (held back with its other writes under `gatherWrites`), leave its
    // unit of work alone, need no flush of whatever else the caller has pending, and store each
    // payload as the canonical text its hash was taken of, serialized once.
    const at = em.getPlatform().processDateProperty(createdAt);
    // The heads first: an update sent with the entries would have to wait for them (see
    // `writePlain`), costing a round trip; neither reads the other.
    for (const municipalityId of municipalities) {
      const head = heads.get(municipalityId)!;
      await writePlain(
        em,
        'update audit_chain_heads set seq = ?, hash = ?, updated_at = ? where municipality_id = ?',
        [head.seq, head.hash, at, municipalityId],
      );
    }
    await insertRows(
      em,
      AuditEntry,
      appended.map((link, i) => ({ ...link, payload: payloadTexts[i] as unknown as AuditPayload })),
      ['payload'],
    );
    return appended;
  }

  /**
   * The latest entry of one of `types` about `subjectId` (a decision's own entry, say), or null.
   * Read only, with whatever EntityManager the caller has; the one read other features may make.
   */
  async latestAbout(
    em: EntityManager,
    municipalityId: string,
    subjectId: string,
    types: readonly AuditEntryType[],
  ): Promise<AuditEntryRef | null> {
    const row = await em.findOne(
      AuditEntry,
      { municipalityId, subjectId, type: { $in: [...types] } },
      {
        orderBy: { seq: 'desc' },
        fields: ['seq', 'type', 'hash', 'createdAt'],
        disableIdentityMap: true,
      },
    );
    return row
      ? {
          seq: Number(row.seq),
          type: row.type as AuditEntryType,
          hash: row.hash,
          createdAt: row.createdAt,
        }
      : null;
  }

  /** The head row, locked for the rest of the caller's transaction; created on first use. */
  private async lockHead(
    em: EntityManager,
    municipalityId: string,
  ): Promise<{ seq: number; hash: string }> {
    // On PostgreSQL the row is locked until the caller's transaction ends; SQLite has one writer.
    const lock = em.getPlatform() instanceof SqlitePlatform ? '' : ' for update';
    const locked = async () => {
      const [row] = await runPlain<{ seq: unknown; hash: string }>(
        em,
        `select seq, hash from audit_chain_heads where municipality_id = ?${lock}`,
        [municipalityId],
      );
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    };
    const head = await locked();
    if (head) return head;
    // Two first appends may race here: ON CONFLICT DO NOTHING lets the loser wait for the winner's
    // row instead of failing (and, on PostgreSQL, aborting the caller's transaction).
    if (!(em instanceof SqlEntityManager))
      throw new InvalidAuditEntryError('the audit log needs an SQL database');
    await em
      .createQueryBuilder(AuditChainHead)
      .insert({ municipalityId, seq: 0, hash: GENESIS_HASH, updatedAt: new Date() })
      .onConflict('municipalityId')
      .ignore()
      .execute();
    const created = await locked();
    if (!created)
      throw new Error(`audit chain head for ${municipalityId} vanished while it was being created`);
    return created;
  }
}

function validate(entry: AuditAppend): void {
  if (!UUID.test(entry.municipalityId))
    throw new InvalidAuditEntryError('municipalityId must be a lower-case uuid');
  if (!isAuditEntryType(entry.type))
    throw new InvalidAuditEntryError(`unknown type ${JSON.stringify(entry.type)}`);
  const subject: unknown = entry.subjectId;
  if (
    typeof subject !== 'string' ||
    subject.length === 0 ||
    subject.length > 100 ||
    CONTROL.test(subject)
  ) {
    throw new InvalidAuditEntryError(
      'subjectId must be 1–100 characters without control characters',
    );
  }
  assertAuditPayload(entry.payload);
}
