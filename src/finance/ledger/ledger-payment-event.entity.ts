import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { PaymentEventType } from '../payment-history.model';

/** One thing in a resident's payment history (paid on time, paid late, reminder, collection…). */
@Entity({ tableName: 'ledger_payment_events' })
@Index({ properties: ['municipalityId', 'pid', 'date'] })
export class LedgerPaymentEvent {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  @Property({ type: 'string', length: 11 })
  pid!: string;

  @Property({ type: 'string', length: 32 })
  type!: PaymentEventType;

  @Property({ type: 'string', length: 10 })
  date!: string;

  @Property({ type: 'string', length: 64 })
  invoiceId!: string;

  @Property({ type: 'string', length: 40 })
  invoiceNumber!: string;

  @Property({ type: new BigIntType('number'), nullable: true })
  amountOre!: number | null;

  @Property({ type: 'integer', nullable: true })
  daysLate!: number | null;
}
