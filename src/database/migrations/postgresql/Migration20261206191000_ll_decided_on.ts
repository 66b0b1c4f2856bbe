import { Migration } from '@mikro-orm/migrations';

/**
 * The day each request was decided on, as a column: a decision reads the resident's earlier
 * approvals by it instead of their whole facts. Filled from the facts of the rows there are.
 */
export class Migration20261206191000_ll_decided_on extends Migration {
  override name = 'Migration20261206191000_ll_decided_on';

  override up(): void | Promise<void> {
    this.addSql(`alter table "deferral_requests" add column "decided_on" varchar(10) null;`);
    this.addSql(`update "deferral_requests" set "decided_on" = cast("facts" as jsonb)->>'today';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "deferral_requests" drop column "decided_on";`);
  }
}
