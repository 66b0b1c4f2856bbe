import { Migration } from '@mikro-orm/migrations';

export class Migration20261206020543_case_work extends Migration {
  override name = 'Migration20261206020543_case_work';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "case_messages" ("id" uuid not null, "municipality_id" uuid not null, "deferral_request_id" uuid not null, "author" varchar(10) not null, "actor" varchar(120) null, "text" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "case_messages_deferral_request_id_created_at_index" on "case_messages" ("deferral_request_id", "created_at");`,
    );

    this.addSql(
      `alter table "deferral_requests" add "policy_outcome" varchar(16) null, add "taken_by" varchar(120) null, add "taken_by_name" varchar(200) null, add "taken_at" timestamptz null, add "decided_by" varchar(120) null, add "decided_by_name" varchar(200) null, add "decided_at" timestamptz null, add "officer_reason" text null, add "officer_reason_code" varchar(64) null;`,
    );
    this.addSql(
      `create index "deferral_requests_municipality_id_created_at_index" on "deferral_requests" ("municipality_id", "created_at");`,
    );
    this.addSql(
      `create index "deferral_requests_municipality_id_status_sent_to_o_4295f_index" on "deferral_requests" ("municipality_id", "status", "sent_to_officer_at");`,
    );

    // Existing rows: the policy's outcome is the outcome (no officer has decided anything yet);
    // a case a resident sent to a person, or one the policy sent to review, waits for an officer.
    this.addSql(`update "deferral_requests" set "policy_outcome" = "outcome";`);
    this.addSql(
      `update "deferral_requests" set "status" = 'awaiting_officer' where "status" = 'sent_to_officer';`,
    );
    this.addSql(
      `update "deferral_requests" set "status" = 'awaiting_officer', "sent_to_officer_at" = "created_at" where "status" = 'decided' and "outcome" = 'manual_review';`,
    );

    this.addSql(
      `alter table "writeback_jobs" add "retry_base_attempts" int not null default 0, add "failed_at" timestamptz null, add "resolved_by" varchar(120) null, add "resolved_by_name" varchar(200) null, add "resolved_note" text null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "case_messages" cascade;`);

    this.addSql(`drop index "deferral_requests_municipality_id_created_at_index";`);
    this.addSql(`drop index "deferral_requests_municipality_id_status_sent_to_o_4295f_index";`);
    this.addSql(
      `alter table "deferral_requests" drop column "policy_outcome", drop column "taken_by", drop column "taken_by_name", drop column "taken_at", drop column "decided_by", drop column "decided_by_name", drop column "decided_at", drop column "officer_reason", drop column "officer_reason_code";`,
    );

    this.addSql(
      `alter table "writeback_jobs" drop column "retry_base_attempts", drop column "failed_at", drop column "resolved_by", drop column "resolved_by_name", drop column "resolved_note";`,
    );
  }
}
