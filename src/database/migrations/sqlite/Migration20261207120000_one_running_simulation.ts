import { Migration } from '@mikro-orm/migrations';

/**
 * At most one running simulation per municipality (`PolicySimulation`): see the PostgreSQL
 * migration of the same name. Of several running rows of a municipality the newest heartbeat stays.
 */
export class Migration20261207120000_one_running_simulation extends Migration {
  override name = 'Migration20261207120000_one_running_simulation';

  override up(): void | Promise<void> {
    this.addSql(
      `update \`policy_simulations\` set \`state\` = 'failed', \`error\` = 'the simulation stopped: the instance running it stopped answering', \`finished_at\` = \`heartbeat_at\` where \`state\` = 'running' and exists (select 1 from \`policy_simulations\` as newer where newer.\`municipality_id\` = \`policy_simulations\`.\`municipality_id\` and newer.\`state\` = 'running' and (newer.\`heartbeat_at\` > \`policy_simulations\`.\`heartbeat_at\` or (newer.\`heartbeat_at\` = \`policy_simulations\`.\`heartbeat_at\` and newer.\`id\` > \`policy_simulations\`.\`id\`)));`,
    );
    this.addSql(
      `create unique index \`policy_simulations_one_running\` on \`policy_simulations\` (\`municipality_id\`) where state = 'running';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`policy_simulations_one_running\`;`);
  }
}
