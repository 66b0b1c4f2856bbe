import { Migration } from '@mikro-orm/migrations';

export class Migration20261205213219_receipt_mail_jobs extends Migration {
  override name = 'Migration20261205213219_receipt_mail_jobs';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "receipt_mail_jobs" ("id" uuid not null, "municipality_id" uuid not null, "subject_id" varchar(100) not null, "recipient" varchar(320) not null, "letter" jsonb not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "last_error" varchar(200) null, "created_at" timestamptz not null, "sent_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "receipt_mail_jobs" add constraint "receipt_mail_jobs_subject_id_unique" unique ("subject_id");`,
    );
    this.addSql(
      `create index "receipt_mail_jobs_status_next_attempt_at_index" on "receipt_mail_jobs" ("status", "next_attempt_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "receipt_mail_jobs" cascade;`);
  }
}
