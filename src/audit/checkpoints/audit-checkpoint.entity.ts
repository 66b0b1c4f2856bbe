import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A signed statement of one municipality's chain head at a moment: "entry `seq` has hash `hash`".
 * Copies leave the system (the auditor's mailbox, an export), so a chain rewritten later, however
 * consistently, contradicts a checkpoint someone already holds. Written once, never changed; one
 * per head, so instances that make the same checkpoint at once store it once.
 */
@Entity({ tableName: 'audit_checkpoints' })
@Unique({ properties: ['municipalityId', 'seq'] })
export class AuditCheckpoint {
  @PrimaryKey({ type: 'uuid' })
  readonly id!: string;

  @Property({ type: 'uuid' })
  readonly municipalityId!: string;

  /** The head's seq: the checkpoint vouches for every entry up to and including this one. */
  @Property({ type: new BigIntType('number') })
  readonly seq!: number;

  /** The hash of the entry at `seq`. */
  @Property({ type: 'string', length: 64 })
  readonly hash!: string;

  @Property({ type: 'datetime' })
  readonly createdAt!: Date;

  /** Which signing key made `signature` (AUDIT_SIGNING_KEY_ID). */
  @Property({ type: 'string', length: 100 })
  readonly keyId!: string;

  /** Ed25519 over the UTF-8 bytes of `statement`, base64url. */
  @Property({ type: 'string', length: 100 })
  readonly signature!: string;

  /** The signed statement, canonical JSON text, byte for byte what was signed. */
  @Property({ type: 'text' })
  readonly statement!: string;
}
