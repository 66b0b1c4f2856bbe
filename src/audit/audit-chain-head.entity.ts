import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The newest link of a municipality's chain. Appends lock this row, so they queue up per
 * municipality and never fork the chain; the verifier also checks that the chain reaches it, which
 * catches entries cut off the end.
 */
@Entity({ tableName: 'audit_chain_heads' })
export class AuditChainHead {
  @PrimaryKey({ type: 'uuid' })
  municipalityId!: string;

  /** The seq of the newest entry; 0 before the first. */
  @Property({ type: new BigIntType('number') })
  seq!: number;

  /** The hash of the newest entry; the genesis hash before the first. */
  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
