import { Migration } from '@mikro-orm/migrations';

/** Signed checkpoints of each municipality's audit chain head (generated from the entity). */
export class Migration20261206030657_audit_checkpoints extends Migration {
  override name = 'Migration20261206030657_audit_checkpoints';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_checkpoints\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`seq\` bigint not null, \`hash\` text not null, \`created_at\` datetime not null, \`key_id\` text not null, \`signature\` text not null, \`statement\` text not null);`,
    );
    this.addSql(
      `create unique index \`audit_checkpoints_municipality_id_seq_unique\` on \`audit_checkpoints\` (\`municipality_id\`, \`seq\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_checkpoints\`;`);
  }
}
