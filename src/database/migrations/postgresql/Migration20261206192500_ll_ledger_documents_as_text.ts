import { Migration } from '@mikro-orm/migrations';

/**
 * The embedded ledger's invoice documents as text rather than jsonb (see `JsonTextType`): a page
 * or a decision reads all of a resident's documents whole, and jsonb had the server render each
 * one back to text every time. The table is rewritten once, every document kept; lz4 where the
 * server has it, as for the decisions' documents.
 */
export class Migration20261206192500_ll_ledger_documents_as_text extends Migration {
  override name = 'Migration20261206192500_ll_ledger_documents_as_text';

  override up(): void | Promise<void> {
    const asText = `alter column "document" type text using ("document"::text)`;
    this.addSql(
      `do $$ begin
         alter table "ledger_invoices" alter column "document" set compression lz4, ${asText};
       exception when feature_not_supported or syntax_error then
         raise notice 'lz4 compression not available: ledger_invoices keeps the default';
         alter table "ledger_invoices" ${asText};
       end $$;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "ledger_invoices" alter column "document" set compression default, alter column "document" type jsonb using ("document"::jsonb);`,
    );
  }
}
