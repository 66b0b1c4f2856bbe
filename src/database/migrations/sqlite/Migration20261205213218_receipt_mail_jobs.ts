import { Migration } from '@mikro-orm/migrations';

export class Migration20261205213218_receipt_mail_jobs extends Migration {
  override name = 'Migration20261205213218_receipt_mail_jobs';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`receipt_mail_jobs\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`subject_id\` text not null, \`recipient\` text not null, \`letter\` json not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`locked_until\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, \`sent_at\` datetime null);`,
    );
    this.addSql(
      `create unique index \`receipt_mail_jobs_subject_id_unique\` on \`receipt_mail_jobs\` (\`subject_id\`);`,
    );
    this.addSql(
      `create index \`receipt_mail_jobs_status_next_attempt_at_index\` on \`receipt_mail_jobs\` (\`status\`, \`next_attempt_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`receipt_mail_jobs\`;`);
  }
}
