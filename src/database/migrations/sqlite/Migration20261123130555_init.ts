import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130555_init extends Migration {
  override name = 'Migration20261123130555_init';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`municipalities\` (\`id\` text not null primary key, \`slug\` text not null, \`name\` text not null, \`org_number\` text not null, \`hostnames\` json not null, \`contact_email\` text not null, \`contact_phone\` text not null, \`settings\` json not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`municipalities_slug_unique\` on \`municipalities\` (\`slug\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`municipalities\`;`);
  }
}
