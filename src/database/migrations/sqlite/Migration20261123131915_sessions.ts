import { Migration } from '@mikro-orm/migrations';

export class Migration20261123131915_sessions extends Migration {
  override name = 'Migration20261123131915_sessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`sessions\` (\`id\` text not null primary key, \`data\` json not null, \`expires_at\` datetime not null, \`authenticated_at\` datetime null, \`oidc_issuer\` text null, \`oidc_sid\` text null, \`municipality_id\` text null);`,
    );
    this.addSql(`create index \`sessions_expires_at_index\` on \`sessions\` (\`expires_at\`);`);
    this.addSql(
      `create index \`sessions_oidc_issuer_oidc_sid_index\` on \`sessions\` (\`oidc_issuer\`, \`oidc_sid\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`sessions\`;`);
  }
}
