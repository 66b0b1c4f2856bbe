import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { VerificationOutcome, VerificationScope } from './verification-outcome';

export const RUN_STATUSES = ['running', 'sound', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * One verification of a municipality's audit chain that an auditor started from the pages. In the
 * database rather than in memory: behind a load balancer the next request (the progress page
 * refreshing itself) may reach another instance. The instance running it moves `checked` and
 * `heartbeatAt` every page; a run whose heartbeat stopped is shown as interrupted.
 */
@Entity({ tableName: 'audit_verification_runs' })
@Index({ properties: ['municipalityId', 'startedAt'] })
export class VerificationRun {
  [OptionalProps]?:
    | 'id'
    | 'actorName'
    | 'periodFrom'
    | 'periodTo'
    | 'status'
    | 'checked'
    | 'total'
    | 'result'
    | 'startedAt'
    | 'finishedAt'
    | 'heartbeatAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** Who asked: `staff:<sub>`. */
  @Property({ type: 'string', length: 120 })
  actor!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  actorName: string | null = null;

  /** The period asked for (Oslo dates, both included); null: from the start, or up to now. */
  @Property({ type: 'string', length: 10, nullable: true })
  periodFrom: string | null = null;

  @Property({ type: 'string', length: 10, nullable: true })
  periodTo: string | null = null;

  @Property({ type: 'string', length: 16 })
  status: RunStatus = 'running';

  /** Entries checked so far, of `total`. */
  @Property({ type: new BigIntType('number') })
  checked: number = 0;

  @Property({ type: new BigIntType('number') })
  total: number = 0;

  /** Which entries the run covers, fixed when it starts. */
  @Property({ type: 'json' })
  scope!: VerificationScope;

  /** The verdict, once finished (or why it stopped). */
  @Property({ type: 'json', nullable: true })
  result: VerificationOutcome | null = null;

  @Property({ type: 'datetime' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'datetime' })
  heartbeatAt: Date = new Date();
}
