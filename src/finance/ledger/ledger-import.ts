import type { EntityManager } from '@mikro-orm/core';
import { checkInvoice } from '../invoice-consistency';
import type { Invoice } from '../invoice.model';
import type { PaymentEvent } from '../payment-history.model';
import { documentColumns, LedgerInvoice } from './ledger-invoice.entity';
import { LedgerPaymentEvent } from './ledger-payment-event.entity';

export interface LedgerImport {
  pid: string;
  invoices: readonly Invoice[];
  paymentEvents: readonly PaymentEvent[];
}

/**
 * Loads one municipality's invoices and payment history into the embedded ledger (a migration
 * from another system, the demo data, test fixtures). An invoice that does not add up is refused.
 */
export async function importIntoLedger(
  em: EntityManager,
  municipalityId: string,
  entries: readonly LedgerImport[],
): Promise<number> {
  let count = 0;
  for (const entry of entries) {
    for (const invoice of entry.invoices) {
      const problem = checkInvoice(invoice);
      if (problem)
        throw new Error(`Invoice ${invoice.invoiceNumber} cannot be imported: ${problem}`);
      em.create(LedgerInvoice, {
        id: invoice.id,
        municipalityId,
        pid: entry.pid,
        invoiceNumber: invoice.invoiceNumber,
        ...documentColumns(structuredClone(invoice)),
      });
      count++;
    }
    for (const event of entry.paymentEvents) {
      em.create(LedgerPaymentEvent, { municipalityId, pid: entry.pid, ...event });
    }
  }
  await em.flush();
  return count;
}
