import { Migration } from '@mikro-orm/migrations';

/**
 * The audit tables refuse rewriting in the database itself, not only in the ORM: UPDATE and DELETE
 * of any row abort the statement (SQLite has no TRUNCATE; a DELETE without WHERE fires the trigger
 * like any other). Written by hand: the schema generator knows nothing of triggers.
 */
export class Migration20261206040000_audit_append_only extends Migration {
  override name = 'Migration20261206040000_audit_append_only';

  override up(): void | Promise<void> {
    for (const table of ['audit_entries', 'audit_checkpoints']) {
      for (const operation of ['update', 'delete']) {
        this.addSql(
          `create trigger \`${table}_no_${operation}\` before ${operation} on \`${table}\` begin select raise(abort, 'the audit log is append-only: ${operation.toUpperCase()} on ${table} refused'); end;`,
        );
      }
    }
  }

  override down(): void | Promise<void> {
    for (const table of ['audit_entries', 'audit_checkpoints']) {
      this.addSql(`drop trigger if exists \`${table}_no_update\`;`);
      this.addSql(`drop trigger if exists \`${table}_no_delete\`;`);
    }
  }
}
