import { Migration } from '@mikro-orm/migrations';

/**
 * Simulations of a draft over past requests (`PolicySimulation`), so that every instance can show
 * one's progress and result, not only the instance that runs it.
 */
export class Migration20261207060157_policy_simulations extends Migration {
  override name = 'Migration20261207060157_policy_simulations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "policy_simulations" ("id" uuid not null, "municipality_id" uuid not null, "period" jsonb not null, "versions" jsonb not null, "state" varchar(10) not null default 'running', "done" int not null default 0, "total" int null, "result" text null, "error" varchar(500) null, "duration_ms" int null, "instance_id" varchar(200) not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "heartbeat_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "policy_simulations_finished_at_index" on "policy_simulations" ("finished_at");`,
    );
    this.addSql(
      `create index "policy_simulations_municipality_id_state_index" on "policy_simulations" ("municipality_id", "state");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "policy_simulations";`);
  }
}
