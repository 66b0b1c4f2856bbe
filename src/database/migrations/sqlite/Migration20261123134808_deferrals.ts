import { Migration } from '@mikro-orm/migrations';

export class Migration20261123134808_deferrals extends Migration {
  override name = 'Migration20261123134808_deferrals';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_chain_heads\` (\`municipality_id\` text not null primary key, \`seq\` bigint not null, \`hash\` text not null, \`updated_at\` datetime not null);`,
    );

    this.addSql(
      `create table \`audit_entries\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`seq\` bigint not null, \`type\` text not null, \`subject_id\` text not null, \`payload\` json not null, \`payload_hash\` text not null, \`prev_hash\` text not null, \`hash\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`audit_entries_subject_id_index\` on \`audit_entries\` (\`subject_id\`);`,
    );
    this.addSql(
      `create unique index \`audit_entries_municipality_id_seq_unique\` on \`audit_entries\` (\`municipality_id\`, \`seq\`);`,
    );

    this.addSql(
      `create table \`deferral_requests\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`reference\` text not null, \`pid\` text not null, \`invoice_id\` text not null, \`invoice_number\` text not null, \`invoice_title\` text not null, \`amount_ore\` bigint not null, \`original_due_date\` text not null, \`requested_due_date\` text not null, \`outcome\` text not null, \`new_due_date\` text null, \`reasons\` json not null, \`notices\` json not null, \`facts\` json not null, \`trace\` json not null, \`policy_version_id\` text not null, \`language\` text not null, \`email\` text null, \`status\` text not null default 'decided', \`officer_message\` text null, \`sent_to_officer_at\` datetime null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_pid_created_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`pid\`, \`created_at\`);`,
    );
    this.addSql(
      `create unique index \`deferral_requests_municipality_id_reference_unique\` on \`deferral_requests\` (\`municipality_id\`, \`reference\`);`,
    );
    this.addSql(
      `create unique index \`deferral_requests_municipality_id_invoice_id_original_due_date_unique\` on \`deferral_requests\` (\`municipality_id\`, \`invoice_id\`, \`original_due_date\`);`,
    );

    this.addSql(
      `create table \`policy_versions\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`policy_id\` text not null, \`version\` text not null, \`hash\` text not null, \`text\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`policy_versions_municipality_id_hash_unique\` on \`policy_versions\` (\`municipality_id\`, \`hash\`);`,
    );

    this.addSql(
      `create table \`writeback_jobs\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`deferral_request_id\` text not null, \`invoice_id\` text not null, \`pid\` text not null, \`new_due_date\` text not null, \`reason\` text not null, \`idempotency_key\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`locked_until\` datetime null, \`last_error\` text null, \`result\` json null, \`created_at\` datetime not null, \`completed_at\` datetime null);`,
    );
    this.addSql(
      `create unique index \`writeback_jobs_deferral_request_id_unique\` on \`writeback_jobs\` (\`deferral_request_id\`);`,
    );
    this.addSql(
      `create unique index \`writeback_jobs_idempotency_key_unique\` on \`writeback_jobs\` (\`idempotency_key\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_status_index\` on \`writeback_jobs\` (\`municipality_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_status_next_attempt_at_index\` on \`writeback_jobs\` (\`status\`, \`next_attempt_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_chain_heads\`;`);
    this.addSql(`drop table if exists \`audit_entries\`;`);
    this.addSql(`drop table if exists \`deferral_requests\`;`);
    this.addSql(`drop table if exists \`policy_versions\`;`);
    this.addSql(`drop table if exists \`writeback_jobs\`;`);
  }
}
