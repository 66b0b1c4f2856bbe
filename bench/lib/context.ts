import type { PolicyRegistry } from '../../src/policy/engine/policy-registry';
import type { Dataset } from '../data/load';
import type { BenchDatabase } from './database';
import type { ResidentSession } from './login';
import type { BenchOptions } from './options';
import type { PortalSettings, RunningPortal } from './portal';
import { RssSampler } from './processes';

/** What the scenarios share: options, the database and its data, sessions, the running portal. */
export interface BenchContext {
  options: BenchOptions;
  registry: PolicyRegistry;
  db?: BenchDatabase;
  dataset?: Dataset;
  portalSettings?: PortalSettings;
  /** SESSION_SECRET of every portal process in this run. */
  sessionSecret: string;
  /** The portal instance currently running, if any. */
  portal?: RunningPortal;
  sessions: ResidentSession[];
  financePort: number;
  /** The main portal keeps this port across restarts (its OIDC redirect URI is registered for it). */
  portalPort: number;
  rss: RssSampler;
  /** Spawn-to-ready times of every portal start, in ms. */
  startups: { label: string; ms: number }[];
  /** Max RSS per load phase, bytes. */
  memory: { label: string; bytes: number }[];
  cpuProfileDir?: string;
  log(line: string): void;
}
