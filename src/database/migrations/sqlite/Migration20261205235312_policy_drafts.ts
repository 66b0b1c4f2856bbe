import { Migration } from '@mikro-orm/migrations';

export class Migration20261205235312_policy_drafts extends Migration {
  override name = 'Migration20261205235312_policy_drafts';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`policy_drafts\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`kind\` text not null, \`status\` text not null default 'draft', \`text\` text not null, \`base_version_id\` text null, \`target_version_id\` text null, \`authors\` json not null, \`created_by\` text not null, \`created_by_name\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`submitted_at\` datetime null, \`submitted_by\` text null, \`submit_comment\` text null, \`decided_at\` datetime null, \`decided_by\` text null, \`decided_by_name\` text null, \`decision_comment\` text null, \`published_version_id\` text null);`,
    );
    this.addSql(
      `create index \`policy_drafts_municipality_id_status_index\` on \`policy_drafts\` (\`municipality_id\`, \`status\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`policy_drafts\`;`);
  }
}
