import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The policy version in force for one municipality, and who put it there when. One row per
 * municipality; changed only by `PolicyVersionsService.activate`, which audits every change in the
 * municipality's chain (the history lives there, not here).
 */
@Entity({ tableName: 'policy_activations' })
export class PolicyActivation {
  [OptionalProps]?: 'activatedAt';

  @PrimaryKey({ type: 'uuid' })
  municipalityId!: string;

  /** The `policy_versions` row in force; always one of this municipality's. */
  @Property({ type: 'uuid' })
  versionId!: string;

  /** `seed:<file>` for the seeding at start, or the person who activated it. */
  @Property({ type: 'string', length: 200 })
  activatedBy!: string;

  @Property({ type: 'datetime' })
  activatedAt: Date = new Date();
}
