import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { databaseConfig } from '../../config/app.config';
import { AppConfigModule } from '../../config/config.module';
import { ENTITIES } from '../../entities';
import { buildOrmConfig } from '../../database/orm.config';
import { FinanceSystem } from '../../finance/finance-system.port';
import { WritebackJob } from '../writeback-job.entity';
import { WritebackModule } from '../writeback.module';
import { type EnqueueWriteback, WritebackService } from '../writeback.service';
import { WritebackWorker } from '../writeback.worker';

/** The ORM's entities with the outbox, whether or not src/database/entities.ts lists it yet. */
const entities = () => [...new Set([...ENTITIES, WritebackJob])];

/** One portal instance as far as write-back goes: its own ORM connection, worker and service. */
export interface WritebackNode {
  worker: WritebackWorker;
  service: WritebackService;
  orm: MikroORM;
  em(): EntityManager;
  close(): Promise<void>;
}

export interface WritebackNodeOptions {
  /** The test database's environment (`TestDatabase.env`) plus FINANCE_* and WRITEBACK_* settings. */
  env: Record<string, string>;
  /** Replaces the FinanceSystem port, e.g. an HTTP adapter with test-sized timeouts. */
  finance?: FinanceSystem;
  logger?: LoggerService | false;
}

/**
 * Creates every table in a fresh test database from the entities (migrations are generated
 * later) and returns that ORM, open, for arranging and checking data without a worker running.
 */
export async function createWritebackSchema(env: Record<string, string>): Promise<MikroORM> {
  const orm = await withEnv(env, () => MikroORM.init(buildOrmConfig(databaseConfig(), entities())));
  try {
    await orm.schema.create();
  } catch (error) {
    await orm.close();
    throw error;
  }
  return orm;
}

/**
 * Config, ORM, FinanceModule and WritebackModule in a Nest testing module, started like the app
 * starts (the worker begins polling on bootstrap). Several nodes on one PostgreSQL database
 * behave as several instances of the portal.
 */
export async function startWritebackNode(options: WritebackNodeOptions): Promise<WritebackNode> {
  // Instances of one process share its host name and port: each needs an identity of its own,
  // or the start of one would take back the claims of another that is still working on them.
  const env = { WRITEBACK_INSTANCE_ID: `test-node-${randomUUID()}`, ...options.env };
  const moduleRef = await withEnv(env, async () => {
    let builder = Test.createTestingModule({
      imports: [
        AppConfigModule,
        MikroOrmModule.forRootAsync({
          useFactory: () => buildOrmConfig(databaseConfig(), entities()),
        }),
        WritebackModule,
      ],
    });
    if (options.finance)
      builder = builder.overrideProvider(FinanceSystem).useValue(options.finance);
    const compiled = await builder.compile();
    compiled.useLogger(options.logger ?? false);
    await compiled.init();
    return compiled;
  });
  const orm = moduleRef.get<MikroORM>(MikroORM);
  return {
    worker: moduleRef.get(WritebackWorker),
    service: moduleRef.get(WritebackService),
    orm,
    em: () => orm.em.fork(),
    close: () => moduleRef.close(),
  };
}

/** Enqueues the jobs the way a deferral decision does: in one transaction of its own. */
export async function enqueueAll(
  node: WritebackNode,
  inputs: EnqueueWriteback[],
): Promise<WritebackJob[]> {
  return node
    .em()
    .transactional(async (em) => inputs.map((input) => node.service.enqueue(em, input)));
}

/** Waits until every given job is done or failed; returns them, in the order of `ids`. */
export async function waitUntilSettled(
  node: WritebackNode,
  ids: string[],
  timeoutMs = 20_000,
): Promise<WritebackJob[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await node.em().find(WritebackJob, { id: { $in: ids } });
    if (jobs.every((job) => job.status === 'done' || job.status === 'failed')) {
      const byId = new Map(jobs.map((job) => [job.id, job]));
      return ids.map((id) => byId.get(id)!);
    }
    if (Date.now() > deadline) {
      const open = jobs.filter((job) => job.status !== 'done' && job.status !== 'failed');
      throw new Error(`${open.length} write-back job(s) still open after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The finance server's (dev/finance-server) view of what was written: GET /admin/state. */
export interface FinanceAdminState {
  faults: { mode: string; injected: number };
  requests: Record<string, number>;
  idempotencyKeys: {
    idempotencyKey: string;
    invoiceId: string;
    newDueDate: string;
    outcome: 'applied' | 'rejected';
    requests: number;
  }[];
  appliedPerInvoice: Record<string, number>;
}

export async function financeAdmin<T = FinanceAdminState>(
  baseUrl: string,
  apiKey: string,
  path: '/admin/state' | '/admin/faults' | '/admin/reset',
  body?: unknown,
): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method: body === undefined && path === '/admin/state' ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    process.env = saved;
  }
}
