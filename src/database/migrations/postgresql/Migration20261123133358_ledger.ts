import { Migration } from '@mikro-orm/migrations';

export class Migration20261123133358_ledger extends Migration {
  override name = 'Migration20261123133358_ledger';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "ledger_due_date_changes" ("municipality_id" uuid not null, "idempotency_key" varchar(200) not null, "fingerprint" varchar(64) not null, "outcome" jsonb not null, "created_at" timestamptz not null, primary key ("municipality_id", "idempotency_key"));`,
    );

    this.addSql(
      `create table "ledger_invoices" ("id" varchar(64) not null, "municipality_id" uuid not null, "pid" varchar(11) not null, "invoice_number" varchar(40) not null, "status" varchar(32) not null, "invoice_date" varchar(10) not null, "due_date" varchar(10) not null, "document" jsonb not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "ledger_invoices_municipality_id_pid_index" on "ledger_invoices" ("municipality_id", "pid");`,
    );
    this.addSql(
      `alter table "ledger_invoices" add constraint "ledger_invoices_municipality_id_invoice_number_unique" unique ("municipality_id", "invoice_number");`,
    );

    this.addSql(
      `create table "ledger_payment_events" ("id" uuid not null, "municipality_id" uuid not null, "pid" varchar(11) not null, "type" varchar(32) not null, "date" varchar(10) not null, "invoice_id" varchar(64) not null, "invoice_number" varchar(40) not null, "amount_ore" bigint null, "days_late" int null, primary key ("id"));`,
    );
    this.addSql(
      `create index "ledger_payment_events_municipality_id_pid_date_index" on "ledger_payment_events" ("municipality_id", "pid", "date");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "ledger_due_date_changes" cascade;`);
    this.addSql(`drop table if exists "ledger_invoices" cascade;`);
    this.addSql(`drop table if exists "ledger_payment_events" cascade;`);
  }
}
