import { Migration } from '@mikro-orm/migrations';

/**
 * An audit entry's key is its place in its chain, (municipality, seq), which was unique already:
 * the random uuid and its index go, one index less to write per entry and no random inserts into
 * it. Altering the table is no UPDATE or DELETE, so the append-only triggers let it pass; no row
 * changes.
 */
export class Migration20261206194000_ll_audit_natural_key extends Migration {
  override name = 'Migration20261206194000_ll_audit_natural_key';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "audit_entries" drop constraint "audit_entries_pkey", drop constraint "audit_entries_municipality_id_seq_unique", drop column "id", add constraint "audit_entries_pkey" primary key ("municipality_id", "seq");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "audit_entries" drop constraint "audit_entries_pkey", add column "id" uuid not null default gen_random_uuid(), add constraint "audit_entries_municipality_id_seq_unique" unique ("municipality_id", "seq");`,
    );
    this.addSql(
      `alter table "audit_entries" alter column "id" drop default, add constraint "audit_entries_pkey" primary key ("id");`,
    );
  }
}
