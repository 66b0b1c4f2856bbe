import { Migration } from '@mikro-orm/migrations';

/** Verifications of the audit chain started from the auditors' pages (generated from the entity). */
export class Migration20261206150000_vp_audit_verification_runs extends Migration {
  override name = 'Migration20261206150000_vp_audit_verification_runs';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_verification_runs" ("id" uuid not null, "municipality_id" uuid not null, "actor" varchar(120) not null, "actor_name" varchar(200) null, "period_from" varchar(10) null, "period_to" varchar(10) null, "status" varchar(16) not null default 'running', "checked" bigint not null default '0', "total" bigint not null default '0', "scope" jsonb not null, "result" jsonb null, "started_at" timestamptz not null, "finished_at" timestamptz null, "heartbeat_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_verification_runs_municipality_id_started_at_index" on "audit_verification_runs" ("municipality_id", "started_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_verification_runs" cascade;`);
  }
}
