import { JsonType } from '@mikro-orm/core';

/**
 * A JSON document kept as plain text: written with `JSON.stringify`, parsed when read, opaque to
 * the database. For documents stored whole and read whole (a decision's facts, trace and reasons):
 * `jsonb` would parse each one on insert and render it back to text on every read, work nothing
 * here needs, and its binary form compresses worse. On PostgreSQL the migrations give such a
 * column lz4 compression. A query that looks inside one casts it (`cast(facts as jsonb)->>'x'` on
 * PostgreSQL, `json_extract` on SQLite), and plain SQL reads take it through `fromJsonColumn`.
 */
export class JsonTextType extends JsonType {
  override getColumnType(): string {
    return 'text';
  }
}
