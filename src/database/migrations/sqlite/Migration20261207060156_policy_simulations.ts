import { Migration } from '@mikro-orm/migrations';

/**
 * Simulations of a draft over past requests (`PolicySimulation`), so that every instance can show
 * one's progress and result, not only the instance that runs it.
 */
export class Migration20261207060156_policy_simulations extends Migration {
  override name = 'Migration20261207060156_policy_simulations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`policy_simulations\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`period\` json not null, \`versions\` json not null, \`state\` text not null default 'running', \`done\` integer not null default 0, \`total\` integer null, \`result\` text null, \`error\` text null, \`duration_ms\` integer null, \`instance_id\` text not null, \`started_at\` datetime not null, \`finished_at\` datetime null, \`heartbeat_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`policy_simulations_finished_at_index\` on \`policy_simulations\` (\`finished_at\`);`,
    );
    this.addSql(
      `create index \`policy_simulations_municipality_id_state_index\` on \`policy_simulations\` (\`municipality_id\`, \`state\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`policy_simulations\`;`);
  }
}
