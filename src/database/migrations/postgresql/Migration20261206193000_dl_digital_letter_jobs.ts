import { Migration } from '@mikro-orm/migrations';

export class Migration20261206193000_dl_digital_letter_jobs extends Migration {
  override name = 'Migration20261206193000_dl_digital_letter_jobs';

  /** The digital post outbox: a new table, so existing data is untouched. */
  override up(): void | Promise<void> {
    this.addSql(
      `create table "digital_letter_jobs" ("id" uuid not null, "municipality_id" uuid not null, "subject_id" varchar(100) not null, "external_reference" varchar(120) not null, "identity_number" varchar(11) not null, "letter" jsonb not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "last_error" varchar(200) null, "created_at" timestamptz not null, "sent_at" timestamptz null, "shipment_id" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "digital_letter_jobs" add constraint "digital_letter_jobs_subject_id_unique" unique ("subject_id");`,
    );
    this.addSql(
      `create index "digital_letter_jobs_status_next_attempt_at_index" on "digital_letter_jobs" ("status", "next_attempt_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "digital_letter_jobs" cascade;`);
  }
}
