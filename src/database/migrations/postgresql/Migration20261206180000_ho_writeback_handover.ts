import { Migration } from '@mikro-orm/migrations';

export class Migration20261206180000_ho_writeback_handover extends Migration {
  override name = 'Migration20261206180000_ho_writeback_handover';

  override up(): void | Promise<void> {
    // `registered_by_hand` is longer than the 16 characters the status had; widening a varchar
    // rewrites nothing.
    this.addSql(`alter table "writeback_jobs" alter column "status" type varchar(20);`);
    this.addSql(
      `alter table "writeback_jobs" add "handed_over_at" timestamptz null, add "checked_at" timestamptz null, add "seen_due_date" varchar(10) null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "writeback_jobs" drop column "handed_over_at", drop column "checked_at", drop column "seen_due_date";`,
    );
    // Fails while a job is registered_by_hand: that status does not fit the old column.
    this.addSql(`alter table "writeback_jobs" alter column "status" type varchar(16);`);
  }
}
