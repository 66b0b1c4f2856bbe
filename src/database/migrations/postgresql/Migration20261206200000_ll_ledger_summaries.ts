import { Migration } from '@mikro-orm/migrations';

/** Rows read and written per statement while the summaries are filled in. */
const BATCH = 500;

/**
 * Each ledger invoice gets its summary (the document without `lines` and `history`) beside the
 * document, as text with lz4 where the server has it: the invoice list reads only that. Nullable,
 * since a previous release still running writes rows without it (readers fall back to the
 * document). Filled here with `JSON.stringify`, as the portal writes it, not by jsonb: jsonb
 * renders its own key order and spacing, refuses `\u0000`, and the readers rely on the exact
 * `"dueDate":"…"` text to tell a current summary from one a previous release left stale.
 */
export class Migration20261206200000_ll_ledger_summaries extends Migration {
  override name = 'Migration20261206200000_ll_ledger_summaries';

  override async up(): Promise<void> {
    await this.execute(
      `do $$ begin
         alter table "ledger_invoices" add column "summary" text compression lz4 null;
       exception when feature_not_supported or syntax_error then
         raise notice 'lz4 compression not available: ledger_invoices.summary keeps the default';
         alter table "ledger_invoices" add column "summary" text null;
       end $$;`,
    );
    let after = '';
    for (;;) {
      const rows = (await this.execute(
        `select "id", "document" from "ledger_invoices" where "id" > ? order by "id" limit ${BATCH}`,
        [after],
      )) as { id: string; document: unknown }[];
      if (rows.length === 0) break;
      const params = rows.flatMap((row) => [row.id, summaryText(row.document)]);
      await this.execute(
        `update "ledger_invoices" set "summary" = "v"."summary"
           from (values ${rows.map(() => '(?, ?)').join(', ')}) as "v" ("id", "summary")
          where "ledger_invoices"."id" = "v"."id"`,
        params,
      );
      after = rows[rows.length - 1].id;
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "ledger_invoices" drop column "summary";`);
  }
}

/** The summary's text as the portal writes it (`summaryOf` in finance/ledger/invoice-summary.ts). */
function summaryText(document: unknown): string {
  const parsed = (typeof document === 'string' ? JSON.parse(document) : document) as Record<
    string,
    unknown
  >;
  const { lines: _lines, history: _history, ...rest } = parsed;
  return JSON.stringify(rest);
}
