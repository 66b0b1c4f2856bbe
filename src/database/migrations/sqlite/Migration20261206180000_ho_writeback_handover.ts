import { Migration } from '@mikro-orm/migrations';

export class Migration20261206180000_ho_writeback_handover extends Migration {
  override name = 'Migration20261206180000_ho_writeback_handover';

  override up(): void | Promise<void> {
    // SQLite's text has no length: the longer statuses need no change to the column.
    this.addSql(`alter table \`writeback_jobs\` add column \`handed_over_at\` datetime null;`);
    this.addSql(`alter table \`writeback_jobs\` add column \`checked_at\` datetime null;`);
    this.addSql(`alter table \`writeback_jobs\` add column \`seen_due_date\` text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`writeback_jobs\` drop column \`handed_over_at\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`checked_at\`;`);
    this.addSql(`alter table \`writeback_jobs\` drop column \`seen_due_date\`;`);
  }
}
