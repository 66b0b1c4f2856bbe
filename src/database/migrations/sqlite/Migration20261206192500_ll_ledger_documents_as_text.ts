import { Migration } from '@mikro-orm/migrations';

/**
 * The embedded ledger's invoice documents declared as text rather than json, as on PostgreSQL:
 * SQLite cannot change a column's declared type, so the table is rebuilt as MikroORM would, every
 * invoice copied as it is.
 */
export class Migration20261206192500_ll_ledger_documents_as_text extends Migration {
  override name = 'Migration20261206192500_ll_ledger_documents_as_text';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`ledger_invoices__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`pid\` text not null, \`invoice_number\` text not null, \`status\` text not null, \`invoice_date\` text not null, \`due_date\` text not null, \`document\` text not null);`,
    );
    this.addSql(
      `insert into \`ledger_invoices__temp_alter\` select \`id\`, \`municipality_id\`, \`pid\`, \`invoice_number\`, \`status\`, \`invoice_date\`, \`due_date\`, \`document\` from \`ledger_invoices\`;`,
    );
    this.addSql(`drop table \`ledger_invoices\`;`);
    this.addSql(`alter table \`ledger_invoices__temp_alter\` rename to \`ledger_invoices\`;`);
    this.addSql(
      `create index \`ledger_invoices_municipality_id_pid_index\` on \`ledger_invoices\` (\`municipality_id\`, \`pid\`);`,
    );
    this.addSql(
      `create unique index \`ledger_invoices_municipality_id_invoice_number_unique\` on \`ledger_invoices\` (\`municipality_id\`, \`invoice_number\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table \`ledger_invoices__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`pid\` text not null, \`invoice_number\` text not null, \`status\` text not null, \`invoice_date\` text not null, \`due_date\` text not null, \`document\` json not null);`,
    );
    this.addSql(
      `insert into \`ledger_invoices__temp_alter\` select \`id\`, \`municipality_id\`, \`pid\`, \`invoice_number\`, \`status\`, \`invoice_date\`, \`due_date\`, \`document\` from \`ledger_invoices\`;`,
    );
    this.addSql(`drop table \`ledger_invoices\`;`);
    this.addSql(`alter table \`ledger_invoices__temp_alter\` rename to \`ledger_invoices\`;`);
    this.addSql(
      `create index \`ledger_invoices_municipality_id_pid_index\` on \`ledger_invoices\` (\`municipality_id\`, \`pid\`);`,
    );
    this.addSql(
      `create unique index \`ledger_invoices_municipality_id_invoice_number_unique\` on \`ledger_invoices\` (\`municipality_id\`, \`invoice_number\`);`,
    );
  }
}
