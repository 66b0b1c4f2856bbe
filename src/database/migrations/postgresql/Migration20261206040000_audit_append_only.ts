import { Migration } from '@mikro-orm/migrations';

/**
 * The audit tables refuse rewriting in the database itself, not only in the ORM: UPDATE and DELETE
 * of any row, and TRUNCATE, raise an error for every role, the owner included, until someone
 * deliberately disables the triggers (which the signed checkpoints then expose). Written by hand:
 * the schema generator knows nothing of triggers.
 */
export class Migration20261206040000_audit_append_only extends Migration {
  override name = 'Migration20261206040000_audit_append_only';

  override up(): void | Promise<void> {
    this.addSql(`create function "audit_refuse_rewrite"() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % on % refused', tg_op, tg_table_name
    using hint = 'audit entries and checkpoints are only ever inserted';
end;
$$;`);
    for (const table of ['audit_entries', 'audit_checkpoints']) {
      this.addSql(
        `create trigger "${table}_append_only" before update or delete on "${table}" for each row execute function "audit_refuse_rewrite"();`,
      );
      this.addSql(
        `create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function "audit_refuse_rewrite"();`,
      );
    }
  }

  override down(): void | Promise<void> {
    for (const table of ['audit_entries', 'audit_checkpoints']) {
      this.addSql(`drop trigger if exists "${table}_append_only" on "${table}";`);
      this.addSql(`drop trigger if exists "${table}_no_truncate" on "${table}";`);
    }
    this.addSql(`drop function if exists "audit_refuse_rewrite"();`);
  }
}
