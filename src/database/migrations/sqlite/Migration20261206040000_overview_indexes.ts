import { Migration } from '@mikro-orm/migrations';

/** The dashboard's statistics: a covering index of requests, and failures by when they failed. */
export class Migration20261206040000_overview_indexes extends Migration {
  override name = 'Migration20261206040000_overview_indexes';

  override up(): void | Promise<void> {
    this.addSql(
      `create index \`deferral_requests_overview_index\` on \`deferral_requests\` (\`municipality_id\`, \`created_at\`, \`status\`, \`outcome\`, \`decided_by\`, \`sent_to_officer_at\`, \`decided_at\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_failed_at_index\` on \`writeback_jobs\` (\`municipality_id\`, \`failed_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`deferral_requests_overview_index\`;`);
    this.addSql(`drop index \`writeback_jobs_municipality_id_failed_at_index\`;`);
  }
}
