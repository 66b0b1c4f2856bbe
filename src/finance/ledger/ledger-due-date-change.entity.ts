import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One idempotency key's fate: the primary key makes a second apply under the same key impossible
 * even when two calls race; the stored outcome is what a repeated call gets back.
 */
@Entity({ tableName: 'ledger_due_date_changes' })
export class LedgerDueDateChange {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  municipalityId!: string;

  @PrimaryKey({ type: 'string', length: 200 })
  idempotencyKey!: string;

  /** sha256 of what was asked, so the same key with another payload is caught. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  @Property({ type: 'json' })
  outcome!:
    | {
        kind: 'applied';
        invoiceId: string;
        dueDate: string;
        previousDueDate: string;
        changedAt: string;
      }
    | { kind: 'rejected'; code: string; detail: string };

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
