import { Migration } from '@mikro-orm/migrations';

export class Migration20261206193000_dl_digital_letter_jobs extends Migration {
  override name = 'Migration20261206193000_dl_digital_letter_jobs';

  /** The digital post outbox: a new table, so existing data is untouched. */
  override up(): void | Promise<void> {
    this.addSql(
      `create table \`digital_letter_jobs\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`subject_id\` text not null, \`external_reference\` text not null, \`identity_number\` text not null, \`letter\` json not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`locked_until\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, \`sent_at\` datetime null, \`shipment_id\` text null);`,
    );
    this.addSql(
      `create unique index \`digital_letter_jobs_subject_id_unique\` on \`digital_letter_jobs\` (\`subject_id\`);`,
    );
    this.addSql(
      `create index \`digital_letter_jobs_status_next_attempt_at_index\` on \`digital_letter_jobs\` (\`status\`, \`next_attempt_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`digital_letter_jobs\`;`);
  }
}
