import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A server-side session. The browser holds only its signed id; deleting the row logs the person
 * out everywhere at once (revocation, front-channel logout, expiry).
 */
@Entity({ tableName: 'sessions' })
@Index({ properties: ['oidcIssuer', 'oidcSid'] })
export class Session {
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  /** Idle expiry; moved forward on every request. */
  @Index()
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** When the person logged in; the absolute limit counts from here. */
  @Property({ type: 'datetime', nullable: true })
  authenticatedAt?: Date | null;

  @Property({ type: 'string', length: 300, nullable: true })
  oidcIssuer?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  oidcSid?: string | null;

  @Property({ type: 'uuid', nullable: true })
  municipalityId?: string | null;
}
