import { Migration } from '@mikro-orm/migrations';

/**
 * Each ledger invoice gets its summary (the document without `lines` and `history`) beside the
 * document: the invoice list reads only that. Nullable, since a previous release still running
 * writes rows without it (readers fall back to the document). `json_remove` keeps the rest of the
 * document's text as it is, which is what the portal writes (`JSON.stringify`).
 */
export class Migration20261206200000_ll_ledger_summaries extends Migration {
  override name = 'Migration20261206200000_ll_ledger_summaries';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`ledger_invoices\` add column \`summary\` text null;`);
    this.addSql(
      `update \`ledger_invoices\` set \`summary\` = json_remove(\`document\`, '$.lines', '$.history');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`ledger_invoices\` drop column \`summary\`;`);
  }
}
