import { Migration } from '@mikro-orm/migrations';

/** Verifications of the audit chain started from the auditors' pages (generated from the entity). */
export class Migration20261206150000_vp_audit_verification_runs extends Migration {
  override name = 'Migration20261206150000_vp_audit_verification_runs';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_verification_runs\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`actor\` text not null, \`actor_name\` text null, \`period_from\` text null, \`period_to\` text null, \`status\` text not null default 'running', \`checked\` bigint not null default '0', \`total\` bigint not null default '0', \`scope\` json not null, \`result\` json null, \`started_at\` datetime not null, \`finished_at\` datetime null, \`heartbeat_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`audit_verification_runs_municipality_id_started_at_index\` on \`audit_verification_runs\` (\`municipality_id\`, \`started_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_verification_runs\`;`);
  }
}
