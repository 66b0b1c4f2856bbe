import { randomUUID, type KeyObject } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { SqlEntityManager } from '@mikro-orm/sql';
import { Municipality } from '../../tenancy';
import { AuditChainHead } from '../audit-chain-head.entity';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { signStatement, statementText } from './checkpoint-statement';
import { type PublicKeyInfo, publicKeyInfo, type SigningKey } from './signing-key';

/** A stored checkpoint, as plain data. */
export interface SignedCheckpoint {
  readonly id: string;
  readonly municipalityId: string;
  readonly seq: number;
  readonly hash: string;
  readonly createdAt: Date;
  readonly keyId: string;
  /** Ed25519 over the UTF-8 bytes of `statement`, base64url. */
  readonly signature: string;
  /** The signed statement, canonical JSON (see `CheckpointStatement`). */
  readonly statement: string;
}

/** What asking for a checkpoint came to: a new one, the one already made for this head, or none. */
export type CheckpointOutcome =
  | { readonly kind: 'created'; readonly checkpoint: SignedCheckpoint }
  | { readonly kind: 'unchanged'; readonly checkpoint: SignedCheckpoint }
  | { readonly kind: 'empty' };

export interface CheckpointOptions {
  /** Public keys of earlier signing keys, still trusted for the checkpoints they signed. */
  readonly previousKeys?: readonly KeyObject[];
  readonly emailTo?: string;
}

/** Told of each new checkpoint inside the transaction that stores it (e.g. to queue an e-mail). */
export type CheckpointListener = (em: EntityManager, checkpoint: SignedCheckpoint) => Promise<void>;

/**
 * Signs each municipality's audit chain head and keeps the checkpoints. Making one is idempotent
 * per head: instances that sign the same head at once store it once (unique on municipality and
 * seq, the loser's insert ignored), so timers on several instances need no coordination.
 * Checkpoints get no audit entry of their own: one would move the head it vouches for, and the
 * next round would sign again for ever. Their table is append-only like the chain's.
 */
export class AuditCheckpoints {
  private readonly listeners: CheckpointListener[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly key: SigningKey,
    private readonly options: CheckpointOptions = {},
  ) {}

  /** Where checkpoints are to be e-mailed (AUDIT_CHECKPOINT_EMAIL), for whoever sends them. */
  get emailTo(): string | undefined {
    return this.options.emailTo;
  }

  onCheckpoint(listener: CheckpointListener): void {
    this.listeners.push(listener);
  }

  /** Signs the municipality's current head, unless a checkpoint of that head exists already. */
  checkpointNow(municipalityId: string): Promise<CheckpointOutcome> {
    return this.em.fork().transactional(async (em) => {
      const head = await em.findOne(
        AuditChainHead,
        { municipalityId },
        { disableIdentityMap: true },
      );
      if (!head || head.seq === 0) return { kind: 'empty' };
      const existing = await findAt(em, municipalityId, head.seq);
      if (existing) return { kind: 'unchanged', checkpoint: existing };
      const checkpoint = await this.sign(em, municipalityId, head);
      if (!(await insertOnce(em, checkpoint))) {
        const winner = await findAt(em, municipalityId, head.seq);
        if (!winner) throw new Error('a checkpoint lost its insert to one that is not there');
        return { kind: 'unchanged', checkpoint: winner };
      }
      for (const listener of this.listeners) await listener(em, checkpoint);
      return { kind: 'created', checkpoint };
    });
  }

  /** Checkpoints every chain whose head moved since its last checkpoint; resolves to how many. */
  async checkpointMovedHeads(): Promise<SignedCheckpoint[]> {
    const moved = await this.em
      .fork()
      .getConnection()
      .execute<{ municipalityId: string }[]>(
        `select h.municipality_id as "municipalityId" from audit_chain_heads h
         where h.seq > coalesce((select max(c.seq) from audit_checkpoints c where c.municipality_id = h.municipality_id), 0)
         order by h.municipality_id`,
      );
    const made: SignedCheckpoint[] = [];
    for (const { municipalityId } of moved) {
      const outcome = await this.checkpointNow(municipalityId);
      if (outcome.kind === 'created') made.push(outcome.checkpoint);
    }
    return made;
  }

  async latest(municipalityId: string): Promise<SignedCheckpoint | null> {
    const [newest] = await this.list(municipalityId, 1);
    return newest ?? null;
  }

  /** The newest `limit` checkpoints of the municipality, newest first. */
  async list(municipalityId: string, limit = 50): Promise<SignedCheckpoint[]> {
    const rows = await this.em
      .fork()
      .find(
        AuditCheckpoint,
        { municipalityId },
        { orderBy: { seq: 'desc' }, limit: Math.max(1, Math.min(limit, 1000)) },
      );
    return rows.map(plain);
  }

  publicKey(): PublicKeyInfo {
    return publicKeyInfo(this.key);
  }

  /** The keys this portal's own verifier accepts checkpoints from: its own and earlier ones. */
  trustedKeys(): KeyObject[] {
    return [this.key.publicKey, ...(this.options.previousKeys ?? [])];
  }

  private async sign(
    em: EntityManager,
    municipalityId: string,
    head: AuditChainHead,
  ): Promise<SignedCheckpoint> {
    const municipality = await em.findOne(
      Municipality,
      { id: municipalityId },
      { fields: ['slug'], disableIdentityMap: true },
    );
    const createdAt = new Date();
    const statement = statementText({
      municipalityId,
      municipality: municipality?.slug,
      seq: head.seq,
      hash: head.hash,
      time: createdAt.toISOString(),
      keyId: this.key.keyId,
    });
    return {
      id: randomUUID(),
      municipalityId,
      seq: head.seq,
      hash: head.hash,
      createdAt,
      keyId: this.key.keyId,
      signature: signStatement(statement, this.key.privateKey),
      statement,
    };
  }
}

async function findAt(
  em: EntityManager,
  municipalityId: string,
  seq: number,
): Promise<SignedCheckpoint | undefined> {
  const row = await em.findOne(
    AuditCheckpoint,
    { municipalityId, seq },
    { disableIdentityMap: true },
  );
  return row ? plain(row) : undefined;
}

/** False when another instance stored a checkpoint of the same head first. */
async function insertOnce(em: EntityManager, checkpoint: SignedCheckpoint): Promise<boolean> {
  if (!(em instanceof SqlEntityManager)) throw new Error('audit checkpoints need an SQL database');
  const result = await em
    .createQueryBuilder(AuditCheckpoint)
    .insert({ ...checkpoint })
    .onConflict(['municipalityId', 'seq'])
    .ignore()
    .execute('run');
  return result.affectedRows > 0;
}

function plain(row: SignedCheckpoint): SignedCheckpoint {
  const { id, municipalityId, seq, hash, createdAt, keyId, signature, statement } = row;
  return { id, municipalityId, seq: Number(seq), hash, createdAt, keyId, signature, statement };
}
