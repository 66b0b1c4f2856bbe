import { Migration } from '@mikro-orm/migrations';

export class Migration20261123134808_deferrals extends Migration {
  override name = 'Migration20261123134808_deferrals';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_chain_heads" ("municipality_id" uuid not null, "seq" bigint not null, "hash" varchar(64) not null, "updated_at" timestamptz not null, primary key ("municipality_id"));`,
    );

    this.addSql(
      `create table "audit_entries" ("id" uuid not null, "municipality_id" uuid not null, "seq" bigint not null, "type" varchar(64) not null, "subject_id" varchar(100) not null, "payload" json not null, "payload_hash" varchar(64) not null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_entries_subject_id_index" on "audit_entries" ("subject_id");`);
    this.addSql(
      `alter table "audit_entries" add constraint "audit_entries_municipality_id_seq_unique" unique ("municipality_id", "seq");`,
    );

    this.addSql(
      `create table "deferral_requests" ("id" uuid not null, "municipality_id" uuid not null, "reference" varchar(20) not null, "pid" varchar(11) not null, "invoice_id" varchar(64) not null, "invoice_number" varchar(40) not null, "invoice_title" varchar(200) not null, "amount_ore" bigint not null, "original_due_date" varchar(10) not null, "requested_due_date" varchar(10) not null, "outcome" varchar(16) not null, "new_due_date" varchar(10) null, "reasons" jsonb not null, "notices" jsonb not null, "facts" jsonb not null, "trace" jsonb not null, "policy_version_id" uuid not null, "language" varchar(2) not null, "email" varchar(254) null, "status" varchar(20) not null default 'decided', "officer_message" text null, "sent_to_officer_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "deferral_requests_municipality_id_pid_created_at_index" on "deferral_requests" ("municipality_id", "pid", "created_at");`,
    );
    this.addSql(
      `alter table "deferral_requests" add constraint "deferral_requests_municipality_id_reference_unique" unique ("municipality_id", "reference");`,
    );
    this.addSql(
      `alter table "deferral_requests" add constraint "deferral_requests_municipality_id_invoice_id_orig_80e2d_unique" unique ("municipality_id", "invoice_id", "original_due_date");`,
    );

    this.addSql(
      `create table "policy_versions" ("id" uuid not null, "municipality_id" uuid not null, "policy_id" varchar(100) not null, "version" varchar(40) not null, "hash" varchar(64) not null, "text" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "policy_versions" add constraint "policy_versions_municipality_id_hash_unique" unique ("municipality_id", "hash");`,
    );

    this.addSql(
      `create table "writeback_jobs" ("id" uuid not null, "municipality_id" uuid not null, "deferral_request_id" uuid not null, "invoice_id" varchar(100) not null, "pid" varchar(11) not null, "new_due_date" varchar(10) not null, "reason" varchar(500) not null, "idempotency_key" varchar(200) not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "last_error" varchar(200) null, "result" jsonb null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "writeback_jobs" add constraint "writeback_jobs_deferral_request_id_unique" unique ("deferral_request_id");`,
    );
    this.addSql(
      `alter table "writeback_jobs" add constraint "writeback_jobs_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `create index "writeback_jobs_municipality_id_status_index" on "writeback_jobs" ("municipality_id", "status");`,
    );
    this.addSql(
      `create index "writeback_jobs_status_next_attempt_at_index" on "writeback_jobs" ("status", "next_attempt_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_chain_heads" cascade;`);
    this.addSql(`drop table if exists "audit_entries" cascade;`);
    this.addSql(`drop table if exists "deferral_requests" cascade;`);
    this.addSql(`drop table if exists "policy_versions" cascade;`);
    this.addSql(`drop table if exists "writeback_jobs" cascade;`);
  }
}
