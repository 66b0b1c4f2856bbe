import { Migration } from '@mikro-orm/migrations';

/**
 * At most one running simulation per municipality (`PolicySimulation`): two instances starting
 * one in the same instant both passed the "is one running?" read and both ran. Runs left
 * "running" by an instance that died are marked failed first, so the index can be built.
 */
export class Migration20261207120000_one_running_simulation extends Migration {
  override name = 'Migration20261207120000_one_running_simulation';

  override up(): void | Promise<void> {
    this.addSql(
      `update "policy_simulations" set "state" = 'failed', "error" = 'the simulation stopped: the instance running it stopped answering', "finished_at" = "heartbeat_at" where "state" = 'running' and "id" not in (select distinct on ("municipality_id") "id" from "policy_simulations" where "state" = 'running' order by "municipality_id", "heartbeat_at" desc);`,
    );
    this.addSql(
      `create unique index "policy_simulations_one_running" on "policy_simulations" ("municipality_id") where state = 'running';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "policy_simulations_one_running";`);
  }
}
