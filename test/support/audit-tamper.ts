import type { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../../src/audit/audit-hash';
import type { AuditPayload } from '../../src/audit/audit-payload';
import { canonicalJson } from '../../src/shared/canonical-json';

/** Runs one statement inside the attacker's transaction; resolves to what the driver returns. */
export type AttackerSql = (query: string, params?: unknown[]) => Promise<unknown>;

const AUDIT_TABLES = ['audit_entries', 'audit_checkpoints'];

/**
 * Changes the audit tables as someone with full access to the database could: the append-only
 * triggers are put out of the way (PostgreSQL: `DISABLE TRIGGER USER`, as the tables' owner;
 * SQLite: the triggers dropped) for one transaction and restored at its end, so the rest of a test
 * runs against a database that still refuses rewrites. Every test that tampers goes through here;
 * a plain UPDATE or DELETE of an audit row fails, which is the point of the triggers.
 */
export async function tamperAsAttacker(
  orm: MikroORM,
  tamper: (sql: AttackerSql) => Promise<void>,
): Promise<void> {
  const postgres = orm.em.getPlatform() instanceof BasePostgreSqlPlatform;
  await orm.em.fork().transactional(async (em) => {
    const connection = em.getConnection();
    const ctx = em.getTransactionContext();
    const sql: AttackerSql = (query, params = []) => connection.execute(query, params, 'run', ctx);
    const all = <T>(query: string, params: unknown[] = []) =>
      connection.execute(query, params, 'all', ctx) as Promise<T[]>;
    if (postgres) {
      for (const table of AUDIT_TABLES) await sql(`alter table ${table} disable trigger user`);
      await tamper(sql);
      for (const table of AUDIT_TABLES) await sql(`alter table ${table} enable trigger user`);
      return;
    }
    const triggers = await all<{ name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'trigger' and tbl_name in (${AUDIT_TABLES.map(() => '?').join(', ')})`,
      AUDIT_TABLES,
    );
    for (const trigger of triggers) await sql(`drop trigger "${trigger.name}"`);
    await tamper(sql);
    for (const trigger of triggers) await sql(trigger.sql);
  });
}

/**
 * Rewrites a municipality's chain as an attacker who knows how it is hashed: the payload of the
 * entry at `seq` replaced, then its payload hash, its hash and every later entry's previous hash
 * and hash recomputed, and the head moved to the new last hash. Every hash check passes
 * afterwards; only a signed checkpoint made before can tell.
 */
export async function rewriteChainAsAttacker(
  orm: MikroORM,
  municipalityId: string,
  seq: number,
  payload: AuditPayload,
): Promise<void> {
  const entries = await orm.em
    .fork()
    .find(AuditEntry, { municipalityId }, { orderBy: { seq: 'asc' }, disableIdentityMap: true });
  await tamperAsAttacker(orm, async (sql) => {
    let prevHash = GENESIS_HASH;
    for (const entry of entries) {
      const text = canonicalJson(Number(entry.seq) === seq ? payload : entry.payload);
      const payloadHash = sha256Hex(text);
      const hash = auditEntryHash({
        prevHash,
        seq: Number(entry.seq),
        municipalityId,
        type: entry.type,
        subjectId: entry.subjectId,
        createdAtIso: entry.createdAt.toISOString(),
        payloadHash,
      });
      await sql(
        'update audit_entries set payload = ?, payload_hash = ?, prev_hash = ?, hash = ? where municipality_id = ? and seq = ?',
        [text, payloadHash, prevHash, hash, municipalityId, entry.seq],
      );
      prevHash = hash;
    }
    await sql('update audit_chain_heads set hash = ? where municipality_id = ?', [
      prevHash,
      municipalityId,
    ]);
  });
}
