import { Migration } from '@mikro-orm/migrations';

export class Migration20261205212943_policy_activations extends Migration {
  override name = 'Migration20261205212943_policy_activations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`policy_activations\` (\`municipality_id\` text not null primary key, \`version_id\` text not null, \`activated_by\` text not null, \`activated_at\` datetime not null);`,
    );

    // Versions stored before this migration were all stored from rules/default.policy.json. SQLite
    // cannot drop a column default, so the table is rebuilt without it, as MikroORM would.
    this.addSql(
      `create table \`policy_versions__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`policy_id\` text not null, \`version\` text not null, \`hash\` text not null, \`text\` text not null, \`source\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `insert into \`policy_versions__temp_alter\` select \`id\`, \`municipality_id\`, \`policy_id\`, \`version\`, \`hash\`, \`text\`, 'default.policy.json', \`created_at\` from \`policy_versions\`;`,
    );
    this.addSql(`drop table \`policy_versions\`;`);
    this.addSql(`alter table \`policy_versions__temp_alter\` rename to \`policy_versions\`;`);
    this.addSql(
      `create unique index \`policy_versions_municipality_id_hash_unique\` on \`policy_versions\` (\`municipality_id\`, \`hash\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`policy_activations\`;`);

    this.addSql(`alter table \`policy_versions\` drop column \`source\`;`);
  }
}
