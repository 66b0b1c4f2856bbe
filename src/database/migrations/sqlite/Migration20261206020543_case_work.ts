import { Migration } from '@mikro-orm/migrations';

export class Migration20261206020543_case_work extends Migration {
  override name = 'Migration20261206020543_case_work';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`case_messages\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`deferral_request_id\` text not null, \`author\` text not null, \`actor\` text null, \`text\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`case_messages_deferral_request_id_created_at_index\` on \`case_messages\` (\`deferral_request_id\`, \`created_at\`);`,
    );

    this.addSql(`alter table \`deferral_requests\` add column \`policy_outcome\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`taken_by\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`taken_by_name\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`taken_at\` datetime null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`decided_by\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`decided_by_name\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`decided_at\` datetime null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`officer_reason\` text null;`);
    this.addSql(`alter table \`deferral_requests\` add column \`officer_reason_code\` text null;`);
    this.addSql(
      `create index \`deferral_requests_municipality_id_created_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_status_sent_to_officer_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`status\`, \`sent_to_officer_at\`);`,
    );

    // Existing rows: the policy's outcome is the outcome (no officer has decided anything yet);
    // a case a resident sent to a person, or one the policy sent to review, waits for an officer.
    this.addSql(`update \`deferral_requests\` set \`policy_outcome\` = \`outcome\`;`);
    this.addSql(
      `update \`deferral_requests\` set \`status\` = 'awaiting_officer' where \`status\` = 'sent_to_officer';`,
    );
    this.addSql(
      `update \`deferral_requests\` set \`status\` = 'awaiting_officer', \`sent_to_officer_at\` = \`created_at\` where \`status\` = 'decided' and \`outcome\` = 'manual_review';`,
    );

    this.addSql(
      `alter table \`writeback_jobs\` add column \`retry_base_attempts\` integer not null default 0;`,
    );
    this.addSql(`alter table \`writeback_jobs\` add column \`failed_at\` datetime null;`);
    this.addSql(`alter table \`writeback_jobs\` add column \`resolved_by\` text null;`);
    this.addSql(`alter table \`writeback_jobs\` add column \`resolved_by_name\` text null;`);
    this.addSql(`alter table \`writeback_jobs\` add column \`resolved_note\` text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`case_messages\`;`);

    this.addSql(`drop index \`deferral_requests_municipality_id_created_at_index\`;`);
    this.addSql(
      `drop index \`deferral_requests_municipality_id_status_sent_to_officer_at_index\`;`,
    );
    this.addSql(`alter table \`deferral_requests\` drop column \`policy_outcome\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`taken_by\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`taken_by_name\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`taken_at\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`decided_by\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`decided_by_name\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`decided_at\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`officer_reason\`;`);
    this.addSql(`alter table \`deferral_requests\` drop column \`officer_reason_code\`;`);

    this.addSql(`alter table \`writeback_jobs\` drop column \`retry_base_attempts\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`failed_at\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`resolved_by\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`resolved_by_name\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`resolved_note\`;`);
  }
}
