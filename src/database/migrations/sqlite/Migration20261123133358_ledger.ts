import { Migration } from '@mikro-orm/migrations';

export class Migration20261123133358_ledger extends Migration {
  override name = 'Migration20261123133358_ledger';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`ledger_due_date_changes\` (\`municipality_id\` text not null, \`idempotency_key\` text not null, \`fingerprint\` text not null, \`outcome\` json not null, \`created_at\` datetime not null, primary key (\`municipality_id\`, \`idempotency_key\`));`,
    );

    this.addSql(
      `create table \`ledger_invoices\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`pid\` text not null, \`invoice_number\` text not null, \`status\` text not null, \`invoice_date\` text not null, \`due_date\` text not null, \`document\` json not null);`,
    );
    this.addSql(
      `create index \`ledger_invoices_municipality_id_pid_index\` on \`ledger_invoices\` (\`municipality_id\`, \`pid\`);`,
    );
    this.addSql(
      `create unique index \`ledger_invoices_municipality_id_invoice_number_unique\` on \`ledger_invoices\` (\`municipality_id\`, \`invoice_number\`);`,
    );

    this.addSql(
      `create table \`ledger_payment_events\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`pid\` text not null, \`type\` text not null, \`date\` text not null, \`invoice_id\` text not null, \`invoice_number\` text not null, \`amount_ore\` bigint null, \`days_late\` integer null);`,
    );
    this.addSql(
      `create index \`ledger_payment_events_municipality_id_pid_date_index\` on \`ledger_payment_events\` (\`municipality_id\`, \`pid\`, \`date\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`ledger_due_date_changes\`;`);
    this.addSql(`drop table if exists \`ledger_invoices\`;`);
    this.addSql(`drop table if exists \`ledger_payment_events\`;`);
  }
}
