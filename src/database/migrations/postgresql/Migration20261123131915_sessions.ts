import { Migration } from '@mikro-orm/migrations';

export class Migration20261123131915_sessions extends Migration {
  override name = 'Migration20261123131915_sessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "sessions" ("id" varchar(64) not null, "data" jsonb not null, "expires_at" timestamptz not null, "authenticated_at" timestamptz null, "oidc_issuer" varchar(300) null, "oidc_sid" varchar(200) null, "municipality_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
    this.addSql(
      `create index "sessions_oidc_issuer_oidc_sid_index" on "sessions" ("oidc_issuer", "oidc_sid");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sessions" cascade;`);
  }
}
