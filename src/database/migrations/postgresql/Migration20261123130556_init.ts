import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130556_init extends Migration {
  override name = 'Migration20261123130556_init';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "municipalities" ("id" uuid not null, "slug" varchar(64) not null, "name" varchar(200) not null, "org_number" varchar(9) not null, "hostnames" jsonb not null, "contact_email" varchar(200) not null, "contact_phone" varchar(40) not null, "settings" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "municipalities" add constraint "municipalities_slug_unique" unique ("slug");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "municipalities" cascade;`);
  }
}
