import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170000_rt_personal_data_retention extends Migration {
  override name = 'Migration20261206170000_rt_personal_data_retention';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "deferral_requests" add "audit_salt" varchar(64) null, add "personal_data_removed_at" timestamptz null;`,
    );
    this.addSql(`alter table "deferral_requests" alter column "pid" drop not null;`);
    this.addSql(
      `create index "deferral_requests_municipality_id_personal_data_re_d93ed_index" on "deferral_requests" ("municipality_id", "personal_data_removed_at", "created_at");`,
    );
    this.addSql(`alter table "case_messages" alter column "text" drop not null;`);
    this.addSql(`alter table "writeback_jobs" add "audit_salt" varchar(64) null;`);
    this.addSql(`alter table "writeback_jobs" alter column "pid" drop not null;`);

    // Every existing request and write-back gets a salt of its own: 32 random bytes as hex, from
    // two version 4 uuids (gen_random_uuid is built in since PostgreSQL 13 and uses a strong
    // random source), evaluated per row. Their texts already in the chain were written before
    // salted hashes, and stay as they are: the chain is never rewritten.
    const salt = `replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')`;
    this.addSql(`update "deferral_requests" set "audit_salt" = ${salt};`);
    this.addSql(`update "writeback_jobs" set "audit_salt" = ${salt};`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "deferral_requests_municipality_id_personal_data_re_d93ed_index";`);
    this.addSql(
      `alter table "deferral_requests" drop column "audit_salt", drop column "personal_data_removed_at";`,
    );
    this.addSql(`alter table "writeback_jobs" drop column "audit_salt";`);
    // Fails once the retention job has removed anything: that data cannot come back.
    this.addSql(`alter table "deferral_requests" alter column "pid" set not null;`);
    this.addSql(`alter table "writeback_jobs" alter column "pid" set not null;`);
    this.addSql(`alter table "case_messages" alter column "text" set not null;`);
  }
}
