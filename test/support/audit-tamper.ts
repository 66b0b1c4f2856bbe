import type { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';

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
