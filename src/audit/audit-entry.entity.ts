import { BigIntType, PrimaryKeyProp } from '@mikro-orm/core';
import {
  BeforeDelete,
  BeforeUpdate,
  Entity,
  Index,
  PrimaryKey,
  Property,
} from '@mikro-orm/decorators/legacy';
import type { AuditPayload } from './audit-payload';
import { AuditLogImmutableError } from './audit.errors';
import { CanonicalJsonType } from './canonical-json.type';

/**
 * One link in a municipality's hash chain. Written once by `AuditService.append` (a native insert)
 * and never changed: the hooks below make the ORM refuse to update or delete an entry, and the
 * append-only test keeps native updates and deletes out of the source.
 */
@Entity({ tableName: 'audit_entries' })
export class AuditEntry {
  /**
   * The key is the entry's place in its chain: every reader (the verifier, exports, proofs,
   * checkpoints) finds entries by it, and an entry needs no second, random key and index.
   */
  [PrimaryKeyProp]?: ['municipalityId', 'seq'];

  @PrimaryKey({ type: 'uuid' })
  readonly municipalityId!: string;

  /** 1, 2, 3, … within the municipality, without gaps. */
  @PrimaryKey({ type: new BigIntType('number') })
  readonly seq!: number;

  @Property({ type: 'string', length: 64 })
  readonly type!: string;

  /** What the entry is about, e.g. the deferral request id. */
  @Index()
  @Property({ type: 'string', length: 100 })
  readonly subjectId!: string;

  /** Stored as its canonical JSON text, byte for byte what was hashed. */
  @Property({ type: CanonicalJsonType })
  readonly payload!: AuditPayload;

  /** sha256 of the canonical JSON of `payload`, so a payload can be checked on its own. */
  @Property({ type: 'string', length: 64 })
  readonly payloadHash!: string;

  @Property({ type: 'string', length: 64 })
  readonly prevHash!: string;

  @Property({ type: 'string', length: 64 })
  readonly hash!: string;

  @Property({ type: 'datetime' })
  readonly createdAt!: Date;

  @BeforeUpdate()
  protected refuseUpdate(): never {
    throw new AuditLogImmutableError('update');
  }

  @BeforeDelete()
  protected refuseDelete(): never {
    throw new AuditLogImmutableError('delete');
  }
}
