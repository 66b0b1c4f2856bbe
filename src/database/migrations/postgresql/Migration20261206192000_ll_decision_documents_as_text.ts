import { Migration } from '@mikro-orm/migrations';

const DOCUMENTS = ['reasons', 'notices', 'facts', 'trace'];

/**
 * A decision's documents as text rather than jsonb (see `JsonTextType`): stored and read whole,
 * never searched on the decision path, so parsing them on every insert and rendering them on
 * every read bought nothing. The table is rewritten once; every document keeps its content (jsonb's
 * text form, which parses to the same value). The large ones (the trace, the facts) are compressed
 * with lz4, much cheaper than the default pglz, where the server has it (PostgreSQL 14 and later,
 * built with lz4); on one without, they keep the default and the migration still goes through.
 */
export class Migration20261206192000_ll_decision_documents_as_text extends Migration {
  override name = 'Migration20261206192000_ll_decision_documents_as_text';

  override up(): void | Promise<void> {
    const asText = DOCUMENTS.map(
      (column) => `alter column "${column}" type text using ("${column}"::text)`,
    );
    const lz4 = DOCUMENTS.map((column) => `alter column "${column}" set compression lz4`);
    // One statement, so the rewrite already compresses with lz4; without lz4, just the rewrite.
    this.addSql(
      `do $$ begin
         alter table "deferral_requests" ${[...lz4, ...asText].join(', ')};
       exception when feature_not_supported or syntax_error then
         raise notice 'lz4 compression not available: deferral_requests keeps the default';
         alter table "deferral_requests" ${asText.join(', ')};
       end $$;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "deferral_requests" ${DOCUMENTS.map(
        (column) =>
          `alter column "${column}" set compression default, alter column "${column}" type jsonb using ("${column}"::jsonb)`,
      ).join(', ')};`,
    );
  }
}
