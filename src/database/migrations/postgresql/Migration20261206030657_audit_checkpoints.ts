import { Migration } from '@mikro-orm/migrations';

/** Signed checkpoints of each municipality's audit chain head (generated from the entity). */
export class Migration20261206030657_audit_checkpoints extends Migration {
  override name = 'Migration20261206030657_audit_checkpoints';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_checkpoints" ("id" uuid not null, "municipality_id" uuid not null, "seq" bigint not null, "hash" varchar(64) not null, "created_at" timestamptz not null, "key_id" varchar(100) not null, "signature" varchar(100) not null, "statement" text not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "audit_checkpoints" add constraint "audit_checkpoints_municipality_id_seq_unique" unique ("municipality_id", "seq");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_checkpoints" cascade;`);
  }
}
