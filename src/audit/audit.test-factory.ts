import { MikroORM } from '@mikro-orm/core';
import { buildOrmConfig } from '../database/orm.config';
import { Municipality } from '../tenancy/municipality.entity';
import { WritebackJob } from '../writeback/writeback-job.entity';
import { AuditChainHead } from './audit-chain-head.entity';
import type { AuditEntryType } from './audit-entry-type';
import { AuditEntry } from './audit-entry.entity';
import { AuditCheckpoint } from './checkpoints/audit-checkpoint.entity';
import type { AppendedAuditEntry, AuditService } from './audit.service';

/** The shape of test/support's TestDatabase that matters here. */
export interface AuditTestDatabase {
  kind: 'sqlite' | 'postgresql';
  env: Record<string, string>;
}

/**
 * An ORM on a fresh test database migrated as in production (so the audit tables refuse UPDATE and
 * DELETE), mapping just the audit tables, municipalities and the write-back outbox.
 */
export async function openAuditOrm(db: AuditTestDatabase): Promise<MikroORM> {
  const config = buildOrmConfig(
    {
      kind: db.kind,
      url: db.env.DATABASE_URL,
      sqlitePath: db.env.SQLITE_PATH ?? ':memory:',
      poolMax: 25,
      migrateOnStart: false,
    },
    [AuditEntry, AuditChainHead, AuditCheckpoint, Municipality, WritebackJob],
  );
  const orm = await MikroORM.init({
    ...config,
    logger: () => undefined,
    // The outbox too: the verify command checks that every finished write-back was audited.
    entities: [AuditEntry, AuditChainHead, AuditCheckpoint, Municipality, WritebackJob],
  });
  await orm.migrator.up();
  return orm;
}

/** `count` decisions appended one transaction each, in order. */
export async function appendDecisions(
  orm: MikroORM,
  audit: AuditService,
  municipalityId: string,
  count: number,
  type: AuditEntryType = 'deferral.decided',
): Promise<AppendedAuditEntry[]> {
  const appended: AppendedAuditEntry[] = [];
  for (let i = 1; i <= count; i++) {
    appended.push(
      await orm.em.fork().transactional((em) =>
        audit.append(em, {
          municipalityId,
          type,
          subjectId: `req-${i}`,
          payload: {
            outcome: i % 3 === 0 ? 'rejected' : 'approved',
            invoice: { number: `F-${i}`, amountOre: 125_000 + i },
            newDueDate: '2026-05-01',
          },
        }),
      ),
    );
  }
  return appended;
}
