import { isIsoDate } from '../../src/shared/calendar-date';
import { GraphQLFieldError } from './graphql-exec';

/* An Xledger entity's books as the GraphQL API shows them. Ids are Xledger's `dbId`s (digits, sent
   as strings); amounts are decimal strings in kroner ("1234.50"), as Xledger sends them. */

export interface XledgerCompany {
  dbId: string;
  /** A person's fødselsnummer, or an organisation number. */
  companyNumber: string;
  description: string;
}

export interface XledgerCustomer {
  dbId: string;
  code: string;
  description: string;
  companyDbId: string;
}

/** One row of the customer ledger: an invoice (positive amount) or a payment (negative). */
export interface XledgerArTransaction {
  dbId: string;
  /** The customer's dbId. */
  subledgerDbId: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  deferredDueDate: string | null;
  amount: string;
  invoiceAmount: string;
  invoiceRemaining: string;
  /** The KID. */
  paymentReference: string | null;
  /** Shared by an invoice and the payments settling it; 0 while unmatched. */
  matchId: number;
  text: string | null;
  reminderDate: string | null;
  interest: string;
  lateFee: string;
  bankAccount: string | null;
  paymentDate: string | null;
  paymentStatus: { name: string } | null;
  headerTransactionSourceDbId: number;
  transactionHeader: { postedDate: string; transactionSource: { code: string } };
}

export interface XledgerSalesOrderDetail {
  lineNumber: number;
  text: string;
  quantity: number;
  unit: string;
  unitPrice: string;
  amount: string;
  taxAmount: string;
  product: { code: string; description: string };
}

export interface XledgerSalesOrder {
  dbId: string;
  invoiceNumber: string;
  subledgerDbId: string;
  invoiceDate: string;
  details: XledgerSalesOrderDetail[];
}

export interface XledgerEntity {
  /** Our municipality slug; Xledger knows the entity by the token alone. */
  slug: string;
  token: string;
  companies: XledgerCompany[];
  customers: XledgerCustomer[];
  arTransactions: XledgerArTransaction[];
  salesOrders: XledgerSalesOrder[];
}

export interface UpdateArTransactionNode {
  dbId?: unknown;
  dueDate?: unknown;
  deferredDueDate?: unknown;
  text?: unknown;
}

export class XledgerStore {
  private readonly byToken = new Map<string, XledgerEntity>();
  /** updateArTransactions applied per AR transaction dbId: what exactly-once tests read. */
  readonly updates: Record<string, number> = {};
  /** Called after each applied update, e.g. to play a person changing the date right after. */
  afterUpdate?: (entity: XledgerEntity, row: XledgerArTransaction) => void;

  constructor(entities: readonly XledgerEntity[]) {
    for (const entity of structuredClone(entities)) this.byToken.set(entity.token, entity);
  }

  entityFor(token: string): XledgerEntity | undefined {
    return this.byToken.get(token);
  }

  entity(slug: string): XledgerEntity {
    const found = [...this.byToken.values()].find((e) => e.slug === slug);
    if (!found) throw new Error(`no entity for ${slug}`);
    return found;
  }

  updateArTransactions(entity: XledgerEntity, nodes: UpdateArTransactionNode[]) {
    // Checked as a whole before anything is written: one bad node changes nothing.
    const rows = nodes.map((node) => {
      const dbId =
        typeof node.dbId === 'string' || typeof node.dbId === 'number' ? String(node.dbId) : '';
      const row = entity.arTransactions.find((r) => r.dbId === dbId);
      if (!row) {
        throw new GraphQLFieldError(`ArTransaction with dbId ${dbId || '(none)'} was not found`);
      }
      for (const key of ['dueDate', 'deferredDueDate'] as const) {
        if (node[key] !== undefined && node[key] !== null && !isIsoDate(node[key])) {
          throw new GraphQLFieldError(`Invalid value for ${key}: expected a date (YYYY-MM-DD)`);
        }
      }
      if (node.text !== undefined && node.text !== null && typeof node.text !== 'string') {
        throw new GraphQLFieldError('Invalid value for text: expected a string');
      }
      return { row, node };
    });
    for (const { row, node } of rows) {
      if (typeof node.dueDate === 'string') row.dueDate = node.dueDate;
      if (typeof node.deferredDueDate === 'string') row.deferredDueDate = node.deferredDueDate;
      if (typeof node.text === 'string') row.text = node.text;
      this.updates[row.dbId] = (this.updates[row.dbId] ?? 0) + 1;
      this.afterUpdate?.(entity, row);
    }
    return rows.map(({ row }) => row);
  }
}

/** Relay-style page of `items` after the cursor: `first` from the start, `last` from the end. */
export function connection<T>(
  items: readonly T[],
  args: { first?: unknown; last?: unknown; after?: unknown },
) {
  const start = typeof args.after === 'string' ? decodeCursor(args.after) + 1 : 0;
  const rest = items.slice(start);
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  if ((first !== undefined && first < 0) || (last !== undefined && last < 0)) {
    throw new GraphQLFieldError('first and last must not be negative');
  }
  let page = first !== undefined ? rest.slice(0, first) : rest;
  const offset = last !== undefined && last < page.length ? page.length - last : 0;
  page = page.slice(offset);
  return {
    edges: page.map((node, i) => ({ cursor: encodeCursor(start + offset + i), node })),
    pageInfo: {
      hasNextPage: start + offset + page.length < items.length,
      hasPreviousPage: start + offset > 0,
    },
  };
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new GraphQLFieldError(`Invalid cursor "${cursor}"`);
  return Number(match[1]);
}
