import { Migration } from '@mikro-orm/migrations';

/**
 * A decision's documents (reasons, notices, facts, trace) declared as text rather than json, as on
 * PostgreSQL. SQLite stores both the same way, but cannot change a column's declared type: the
 * table is rebuilt as MikroORM would, every row copied as it is.
 */
export class Migration20261206192000_ll_decision_documents_as_text extends Migration {
  override name = 'Migration20261206192000_ll_decision_documents_as_text';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`deferral_requests__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`reference\` text not null, \`pid\` text null, \`invoice_id\` text not null, \`invoice_number\` text not null, \`invoice_title\` text not null, \`amount_ore\` bigint not null, \`original_due_date\` text not null, \`requested_due_date\` text not null, \`outcome\` text not null, \`policy_outcome\` text null, \`new_due_date\` text null, \`reasons\` text not null, \`notices\` text not null, \`facts\` text not null, \`trace\` text not null, \`policy_version_id\` text not null, \`decided_on\` text null, \`language\` text not null, \`email\` text null, \`status\` text not null default 'decided', \`officer_message\` text null, \`sent_to_officer_at\` datetime null, \`taken_by\` text null, \`taken_by_name\` text null, \`taken_at\` datetime null, \`decided_by\` text null, \`decided_by_name\` text null, \`decided_at\` datetime null, \`officer_reason\` text null, \`officer_reason_code\` text null, \`created_at\` datetime not null, \`audit_salt\` text null, \`personal_data_removed_at\` datetime null);`,
    );
    this.addSql(
      `insert into \`deferral_requests__temp_alter\` select \`id\`, \`municipality_id\`, \`reference\`, \`pid\`, \`invoice_id\`, \`invoice_number\`, \`invoice_title\`, \`amount_ore\`, \`original_due_date\`, \`requested_due_date\`, \`outcome\`, \`policy_outcome\`, \`new_due_date\`, \`reasons\`, \`notices\`, \`facts\`, \`trace\`, \`policy_version_id\`, \`decided_on\`, \`language\`, \`email\`, \`status\`, \`officer_message\`, \`sent_to_officer_at\`, \`taken_by\`, \`taken_by_name\`, \`taken_at\`, \`decided_by\`, \`decided_by_name\`, \`decided_at\`, \`officer_reason\`, \`officer_reason_code\`, \`created_at\`, \`audit_salt\`, \`personal_data_removed_at\` from \`deferral_requests\`;`,
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
      `create index \`deferral_requests_open_cases_index\` on \`deferral_requests\` (\`municipality_id\`, \`sent_to_officer_at\`, \`created_at\`) where status in ('awaiting_officer', 'taken', 'awaiting_resident');`,
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
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table \`deferral_requests__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`reference\` text not null, \`pid\` text null, \`invoice_id\` text not null, \`invoice_number\` text not null, \`invoice_title\` text not null, \`amount_ore\` bigint not null, \`original_due_date\` text not null, \`requested_due_date\` text not null, \`outcome\` text not null, \`policy_outcome\` text null, \`new_due_date\` text null, \`reasons\` json not null, \`notices\` json not null, \`facts\` json not null, \`trace\` json not null, \`policy_version_id\` text not null, \`decided_on\` text null, \`language\` text not null, \`email\` text null, \`status\` text not null default 'decided', \`officer_message\` text null, \`sent_to_officer_at\` datetime null, \`taken_by\` text null, \`taken_by_name\` text null, \`taken_at\` datetime null, \`decided_by\` text null, \`decided_by_name\` text null, \`decided_at\` datetime null, \`officer_reason\` text null, \`officer_reason_code\` text null, \`created_at\` datetime not null, \`audit_salt\` text null, \`personal_data_removed_at\` datetime null);`,
    );
    this.addSql(
      `insert into \`deferral_requests__temp_alter\` select \`id\`, \`municipality_id\`, \`reference\`, \`pid\`, \`invoice_id\`, \`invoice_number\`, \`invoice_title\`, \`amount_ore\`, \`original_due_date\`, \`requested_due_date\`, \`outcome\`, \`policy_outcome\`, \`new_due_date\`, \`reasons\`, \`notices\`, \`facts\`, \`trace\`, \`policy_version_id\`, \`decided_on\`, \`language\`, \`email\`, \`status\`, \`officer_message\`, \`sent_to_officer_at\`, \`taken_by\`, \`taken_by_name\`, \`taken_at\`, \`decided_by\`, \`decided_by_name\`, \`decided_at\`, \`officer_reason\`, \`officer_reason_code\`, \`created_at\`, \`audit_salt\`, \`personal_data_removed_at\` from \`deferral_requests\`;`,
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
      `create index \`deferral_requests_open_cases_index\` on \`deferral_requests\` (\`municipality_id\`, \`sent_to_officer_at\`, \`created_at\`) where status in ('awaiting_officer', 'taken', 'awaiting_resident');`,
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
  }
}
