import { Migration } from '@mikro-orm/migrations';

export class Migration20261205212944_policy_activations extends Migration {
  override name = 'Migration20261205212944_policy_activations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "policy_activations" ("municipality_id" uuid not null, "version_id" uuid not null, "activated_by" varchar(200) not null, "activated_at" timestamptz not null, primary key ("municipality_id"));`,
    );

    // Versions stored before this migration were all stored from rules/default.policy.json.
    this.addSql(
      `alter table "policy_versions" add "source" varchar(200) not null default 'default.policy.json';`,
    );
    this.addSql(`alter table "policy_versions" alter column "source" drop default;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "policy_activations" cascade;`);

    this.addSql(`alter table "policy_versions" drop column "source";`);
  }
}
