import { Migration } from '@mikro-orm/migrations';

export class Migration20261205235312_policy_drafts extends Migration {
  override name = 'Migration20261205235312_policy_drafts';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "policy_drafts" ("id" uuid not null, "municipality_id" uuid not null, "kind" varchar(20) not null, "status" varchar(20) not null default 'draft', "text" text not null, "base_version_id" uuid null, "target_version_id" uuid null, "authors" jsonb not null, "created_by" varchar(200) not null, "created_by_name" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "submitted_at" timestamptz null, "submitted_by" varchar(200) null, "submit_comment" text null, "decided_at" timestamptz null, "decided_by" varchar(200) null, "decided_by_name" varchar(200) null, "decision_comment" text null, "published_version_id" uuid null, primary key ("id"));`,
    );
    this.addSql(
      `create index "policy_drafts_municipality_id_status_index" on "policy_drafts" ("municipality_id", "status");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "policy_drafts" cascade;`);
  }
}
