import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170000_rt_personal_data_retention extends Migration {
  override name = 'Migration20261206170000_rt_personal_data_retention';

  override up(): void | Promise<void> {
    // SQLite cannot drop a NOT NULL: the three tables are rebuilt as MikroORM would, and each
    // existing request and write-back gets a salt of its own on the way (32 random bytes as hex,
    // randomblob evaluated per row). Their texts already in the chain were written before salted
    // hashes, and stay as they are: the chain is never rewritten.
    const salt = 'lower(hex(randomblob(32)))';

    this.addSql(
      `create table \`case_messages__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`deferral_request_id\` text not null, \`author\` text not null, \`actor\` text null, \`text\` text null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `insert into \`case_messages__temp_alter\` select \`id\`, \`municipality_id\`, \`deferral_request_id\`, \`author\`, \`actor\`, \`text\`, \`created_at\` from \`case_messages\`;`,
    );
    this.addSql(`drop table \`case_messages\`;`);
    this.addSql(`alter table \`case_messages__temp_alter\` rename to \`case_messages\`;`);
    this.addSql(
      `create index \`case_messages_deferral_request_id_created_at_index\` on \`case_messages\` (\`deferral_request_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`deferral_requests__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`reference\` text not null, \`pid\` text null, \`invoice_id\` text not null, \`invoice_number\` text not null, \`invoice_title\` text not null, \`amount_ore\` bigint not null, \`original_due_date\` text not null, \`requested_due_date\` text not null, \`outcome\` text not null, \`policy_outcome\` text null, \`new_due_date\` text null, \`reasons\` json not null, \`notices\` json not null, \`facts\` json not null, \`trace\` json not null, \`policy_version_id\` text not null, \`language\` text not null, \`email\` text null, \`status\` text not null default 'decided', \`officer_message\` text null, \`sent_to_officer_at\` datetime null, \`taken_by\` text null, \`taken_by_name\` text null, \`taken_at\` datetime null, \`decided_by\` text null, \`decided_by_name\` text null, \`decided_at\` datetime null, \`officer_reason\` text null, \`officer_reason_code\` text null, \`created_at\` datetime not null, \`audit_salt\` text null, \`personal_data_removed_at\` datetime null);`,
    );
    this.addSql(
      `insert into \`deferral_requests__temp_alter\` select \`id\`, \`municipality_id\`, \`reference\`, \`pid\`, \`invoice_id\`, \`invoice_number\`, \`invoice_title\`, \`amount_ore\`, \`original_due_date\`, \`requested_due_date\`, \`outcome\`, \`policy_outcome\`, \`new_due_date\`, \`reasons\`, \`notices\`, \`facts\`, \`trace\`, \`policy_version_id\`, \`language\`, \`email\`, \`status\`, \`officer_message\`, \`sent_to_officer_at\`, \`taken_by\`, \`taken_by_name\`, \`taken_at\`, \`decided_by\`, \`decided_by_name\`, \`decided_at\`, \`officer_reason\`, \`officer_reason_code\`, \`created_at\`, ${salt} as \`audit_salt\`, null as \`personal_data_removed_at\` from \`deferral_requests\`;`,
    );
    this.addSql(`drop table \`deferral_requests\`;`);
    this.addSql(`alter table \`deferral_requests__temp_alter\` rename to \`deferral_requests\`;`);
    this.addSql(
      `create index \`deferral_requests_overview_index\` on \`deferral_requests\` (\`municipality_id\`, \`created_at\`, \`status\`, \`outcome\`, \`decided_by\`, \`sent_to_officer_at\`, \`decided_at\`);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_personal_data_removed_at_created_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`personal_data_removed_at\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_created_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_status_sent_to_officer_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`status\`, \`sent_to_officer_at\`);`,
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
      `create table \`writeback_jobs__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`deferral_request_id\` text not null, \`invoice_id\` text not null, \`pid\` text null, \`new_due_date\` text not null, \`reason\` text not null, \`idempotency_key\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`locked_until\` datetime null, \`claimed_by\` text null, \`last_error\` text null, \`result\` json null, \`created_at\` datetime not null, \`completed_at\` datetime null, \`retry_base_attempts\` integer not null default 0, \`failed_at\` datetime null, \`resolved_by\` text null, \`resolved_by_name\` text null, \`resolved_note\` text null, \`audit_salt\` text null);`,
    );
    this.addSql(
      `insert into \`writeback_jobs__temp_alter\` select \`id\`, \`municipality_id\`, \`deferral_request_id\`, \`invoice_id\`, \`pid\`, \`new_due_date\`, \`reason\`, \`idempotency_key\`, \`status\`, \`attempts\`, \`next_attempt_at\`, \`locked_until\`, \`claimed_by\`, \`last_error\`, \`result\`, \`created_at\`, \`completed_at\`, \`retry_base_attempts\`, \`failed_at\`, \`resolved_by\`, \`resolved_by_name\`, \`resolved_note\`, ${salt} as \`audit_salt\` from \`writeback_jobs\`;`,
    );
    this.addSql(`drop table \`writeback_jobs\`;`);
    this.addSql(`alter table \`writeback_jobs__temp_alter\` rename to \`writeback_jobs\`;`);
    this.addSql(
      `create unique index \`writeback_jobs_deferral_request_id_unique\` on \`writeback_jobs\` (\`deferral_request_id\`);`,
    );
    this.addSql(
      `create unique index \`writeback_jobs_idempotency_key_unique\` on \`writeback_jobs\` (\`idempotency_key\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_failed_at_index\` on \`writeback_jobs\` (\`municipality_id\`, \`failed_at\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_status_index\` on \`writeback_jobs\` (\`municipality_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_status_next_attempt_at_index\` on \`writeback_jobs\` (\`status\`, \`next_attempt_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    // The columns go; pid and text stay nullable (removed data cannot come back anyway).
    this.addSql(
      `drop index \`deferral_requests_municipality_id_personal_data_removed_at_created_at_index\`;`,
    );
    this.addSql(`alter table \`deferral_requests\` drop column \`audit_salt\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`personal_data_removed_at\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`audit_salt\`;`);
  }
}
