import { Session } from '../auth/session/session.entity';
import { LedgerDueDateChange } from '../finance/ledger/ledger-due-date-change.entity';
import { LedgerInvoice } from '../finance/ledger/ledger-invoice.entity';
import { LedgerPaymentEvent } from '../finance/ledger/ledger-payment-event.entity';
import { Municipality } from '../tenancy/municipality.entity';

/** Every entity the ORM maps; the migrations are generated from exactly this list. */
export const ENTITIES = [Municipality, Session, LedgerInvoice, LedgerPaymentEvent, LedgerDueDateChange];
