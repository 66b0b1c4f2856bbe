import { Migration } from '@mikro-orm/migrations';

export class Migration20261205210000_writeback_claimant extends Migration {
  override name = 'Migration20261205210000_writeback_claimant';

  override up(): void | Promise<void> {
    this.addSql(`alter table "writeback_jobs" add column "claimed_by" varchar(100) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "writeback_jobs" drop column "claimed_by";`);
  }
}
