import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A policy version of one municipality, kept for good: its full text and content hash. Every
 * decision points to the row that made it, so an auditor can replay it; `policy_activations` names
 * the one in force.
 */
@Entity({ tableName: 'policy_versions' })
@Unique({ properties: ['municipalityId', 'hash'] })
export class PolicyVersion {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  @Property({ type: 'string', length: 100 })
  policyId!: string;

  @Property({ type: 'string', length: 40 })
  version!: string;

  /** sha256 of the canonical policy JSON; identifies the version. */
  @Property({ type: 'string', length: 64 })
  hash!: string;

  /** The canonical policy JSON itself. */
  @Property({ type: 'text' })
  text!: string;

  /** Where the text came from: the seed file's name in `rules/`, or the person who wrote it. */
  @Property({ type: 'string', length: 200 })
  source!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
