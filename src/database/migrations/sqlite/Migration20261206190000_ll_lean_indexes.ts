import { Migration } from '@mikro-orm/migrations';

/**
 * Fewer and smaller indexes to maintain on every decision and write-back: the job's idempotency
 * key is unique through its request's (one job per request), the period searches use the overview
 * index's leading (municipality, created), and the status indexes become partial ones holding
 * only the rows their readers look for (due jobs, failed or handed-over jobs, open cases).
 */
export class Migration20261206190000_ll_lean_indexes extends Migration {
  override name = 'Migration20261206190000_ll_lean_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index \`deferral_requests_municipality_id_created_at_index\`;`);
    this.addSql(
      `drop index \`deferral_requests_municipality_id_status_sent_to_officer_at_index\`;`,
    );
    this.addSql(
      `create index \`deferral_requests_open_cases_index\` on \`deferral_requests\` (\`municipality_id\`, \`sent_to_officer_at\`, \`created_at\`) where status in ('awaiting_officer', 'taken', 'awaiting_resident');`,
    );

    this.addSql(`drop index \`writeback_jobs_idempotency_key_unique\`;`);
    this.addSql(`drop index \`writeback_jobs_municipality_id_status_index\`;`);
    this.addSql(`drop index \`writeback_jobs_status_next_attempt_at_index\`;`);
    this.addSql(`drop index \`writeback_jobs_municipality_id_failed_at_index\`;`);
    this.addSql(
      `create index \`writeback_jobs_due_index\` on \`writeback_jobs\` (\`next_attempt_at\`) where status in ('pending', 'in_progress');`,
    );
    this.addSql(
      `create index \`writeback_jobs_attention_index\` on \`writeback_jobs\` (\`municipality_id\`, \`status\`) where status in ('failed', 'handed_over');`,
    );
    this.addSql(
      `create index \`writeback_jobs_handovers_index\` on \`writeback_jobs\` (\`municipality_id\`, \`completed_at\`) where handed_over_at is not null;`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_failed_at_index\` on \`writeback_jobs\` (\`municipality_id\`, \`failed_at\`) where failed_at is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`writeback_jobs_municipality_id_failed_at_index\`;`);
    this.addSql(`drop index \`writeback_jobs_handovers_index\`;`);
    this.addSql(`drop index \`writeback_jobs_attention_index\`;`);
    this.addSql(`drop index \`writeback_jobs_due_index\`;`);
    this.addSql(
      `create index \`writeback_jobs_municipality_id_failed_at_index\` on \`writeback_jobs\` (\`municipality_id\`, \`failed_at\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_status_next_attempt_at_index\` on \`writeback_jobs\` (\`status\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `create index \`writeback_jobs_municipality_id_status_index\` on \`writeback_jobs\` (\`municipality_id\`, \`status\`);`,
    );
    this.addSql(
      `create unique index \`writeback_jobs_idempotency_key_unique\` on \`writeback_jobs\` (\`idempotency_key\`);`,
    );

    this.addSql(`drop index \`deferral_requests_open_cases_index\`;`);
    this.addSql(
      `create index \`deferral_requests_municipality_id_status_sent_to_officer_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`status\`, \`sent_to_officer_at\`);`,
    );
    this.addSql(
      `create index \`deferral_requests_municipality_id_created_at_index\` on \`deferral_requests\` (\`municipality_id\`, \`created_at\`);`,
    );
  }
}
