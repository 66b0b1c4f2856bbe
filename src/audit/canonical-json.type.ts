import { JsonType, type Platform } from '@mikro-orm/core';
import { canonicalJson } from '../shared/canonical-json';

/**
 * A JSON column that stores exactly the canonical JSON that was hashed. It is `json`, not `jsonb`,
 * on PostgreSQL because jsonb re-orders keys and re-spaces the text: keeping the hashed bytes lets
 * the verifier hash the stored text directly instead of parsing and re-serializing every payload.
 */
export class CanonicalJsonType extends JsonType {
  override convertToDatabaseValue(value: unknown, platform: Platform): string | null {
    return value === null || value === undefined
      ? super.convertToDatabaseValue(value, platform)
      : canonicalJson(value);
  }

  override getColumnType(): string {
    return 'json';
  }
}
