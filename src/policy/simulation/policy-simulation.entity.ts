import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { JsonTextType } from '../../database';
import type { SimulationPeriod, SimulationResult, SimulationVersions } from './simulation.types';

export const SIMULATION_STATES = ['running', 'done', 'failed'] as const;
export type SimulationState = (typeof SIMULATION_STATES)[number];

/**
 * One simulation of a draft over a municipality's past requests. In the database rather than in
 * the memory of the instance that runs it: behind a load balancer the officer's next request (the
 * "look again" button) may reach another instance, which then shows the same progress and result.
 * The running instance moves `done` and `heartbeatAt` as batches finish (and every few seconds);
 * a run whose heartbeat stopped (its instance died) is shown as failed.
 */
@Entity({ tableName: 'policy_simulations' })
@Index({ properties: ['municipalityId', 'state'] })
@Index({ properties: ['finishedAt'] })
/**
 * One running simulation per municipality, whichever instance starts it: two starts in the same
 * instant on two instances both passed the "is one running?" read, and both ran. A run whose
 * instance died is marked failed before a new one is inserted (SimulationService.start).
 */
@Unique({
  name: 'policy_simulations_one_running',
  properties: ['municipalityId'],
  where: "state = 'running'",
})
export class PolicySimulation {
  [OptionalProps]?:
    'state' | 'done' | 'total' | 'result' | 'error' | 'durationMs' | 'finishedAt' | 'heartbeatAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  municipalityId!: string;

  @Property({ type: 'json' })
  period!: SimulationPeriod;

  /** The active version and the draft compared (ids, versions, hashes; not the texts). */
  @Property({ type: 'json' })
  versions!: SimulationVersions;

  @Property({ type: 'string', length: 10 })
  state: SimulationState = 'running';

  /** Past requests simulated so far, of `total` (null until they are counted). */
  @Property({ type: 'integer' })
  done: number = 0;

  @Property({ type: 'integer', nullable: true })
  total: number | null = null;

  /** The comparison, once done (counts and the changed cases' references: no personal data). */
  @Property({ type: JsonTextType, nullable: true })
  result: SimulationResult | null = null;

  /** Why it stopped, once failed: one line, never personal data. */
  @Property({ type: 'string', length: 500, nullable: true })
  error: string | null = null;

  @Property({ type: 'integer', nullable: true })
  durationMs: number | null = null;

  /** The instance running it (host name and process id), for the operators. */
  @Property({ type: 'string', length: 200 })
  instanceId!: string;

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'datetime' })
  heartbeatAt: Date = new Date();
}
