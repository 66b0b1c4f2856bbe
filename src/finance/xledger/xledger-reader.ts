import { createHash } from 'node:crypto';
import { FinanceUnavailableError } from '../finance.errors';
import type { FinanceTenant } from '../finance-tenant';
import { parseWire } from '../http-finance-wire';
import { IDENTITY_NUMBER_FORMAT } from '../../shared/national-identity-number';
import type { XledgerGraphQL } from './xledger-graphql';
import { invoicesOf, linesOf, type LedgerInvoice, type LedgerRow } from './xledger-mapping';
import * as q from './xledger-queries';
import type { XledgerSettings } from './xledger-settings';
import {
  companiesAnswer,
  customersAnswer,
  ledgerAnswer,
  salesOrdersAnswer,
  type LedgerAnswer,
} from './xledger-wire';

/** A municipality's Xledger entity: its settings and the token from the environment. */
export interface XledgerTarget {
  tenant: FinanceTenant;
  settings: XledgerSettings;
  endpoint: string;
  token: string;
}

interface Customer {
  dbId: string;
  name: string;
}

/** A runaway cursor must not page forever: 50 pages of 100 rows is far beyond any resident. */
const MAX_LEDGER_PAGES = 50;
/** Xledger bills requests past a monthly allowance: a page view should not cost three. */
export const CUSTOMER_CACHE_MS = 10 * 60_000;
const CUSTOMER_CACHE_SIZE = 10_000;

/**
 * Reads a resident's books from Xledger: the resident's fødselsnummer is a `company`'s
 * `companyNumber`; its `customers` are the resident's subledgers, whose `arTransactions` are the
 * invoices and payments; `salesOrders` hold the lines.
 */
export class XledgerReader {
  /** By a hash of municipality and identity number, so no identity number is held as a key. */
  private readonly customers = new Map<string, { customers: Customer[]; until: number }>();

  constructor(
    private readonly graphql: XledgerGraphQL,
    private readonly now: () => Date,
    private readonly customerCacheMs: number,
  ) {}

  /** The resident's invoices in this entity; none when the fødselsnummer is no customer here. */
  async ledgerOf(target: XledgerTarget, pid: string): Promise<LedgerInvoice[]> {
    const rows: LedgerRow[] = [];
    for (const customer of await this.customersOf(target, pid)) {
      for (const row of await this.rowsOf(target, customer.dbId)) {
        rows.push({ ...row, recipientName: customer.name });
      }
    }
    return invoicesOf(rows, target.settings);
  }

  /**
   * The resident's customer records: the companies whose companyNumber is the fødselsnummer, and
   * their customers. Remembered for a while when found; a resident not found is asked for again.
   */
  private async customersOf(target: XledgerTarget, pid: string): Promise<Customer[]> {
    assertPid(pid);
    const key = createHash('sha256').update(`${target.tenant.slug}\u0000${pid}`).digest('hex');
    const cached = this.customers.get(key);
    if (cached && cached.until > this.now().getTime()) return cached.customers;
    const companies = parseWire(
      companiesAnswer,
      await this.call(target, 'read', 'companies', q.COMPANIES_BY_NUMBER, { companyNumber: pid }),
      'Xledger companies',
    ).companies.edges;
    const found: Customer[] = [];
    for (const { node: company } of companies) {
      const customers = parseWire(
        customersAnswer,
        await this.call(target, 'read', 'customers', q.CUSTOMERS_OF_COMPANY, {
          companyDbId: intOf(company.dbId),
        }),
        'Xledger customers',
      ).customers.edges;
      for (const { node } of customers) {
        found.push({ dbId: node.dbId, name: node.description?.trim() || 'Ukjent mottaker' });
      }
    }
    this.customers.delete(key);
    if (found.length > 0 && this.customerCacheMs > 0) {
      this.customers.set(key, {
        customers: found,
        until: this.now().getTime() + this.customerCacheMs,
      });
      // Insertion order: the first key is the oldest.
      if (this.customers.size > CUSTOMER_CACHE_SIZE)
        this.customers.delete(this.customers.keys().next().value!);
    }
    return found;
  }

  private async rowsOf(target: XledgerTarget, subledgerDbId: string) {
    const rows = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_LEDGER_PAGES; page++) {
      const { arTransactions }: LedgerAnswer = parseWire(
        ledgerAnswer,
        await this.call(target, 'read', 'arTransactions', q.LEDGER_PAGE, {
          subledgerDbId: intOf(subledgerDbId),
          after,
        }),
        'Xledger arTransactions',
      );
      rows.push(...arTransactions.edges.map((e) => e.node));
      if (!arTransactions.pageInfo?.hasNextPage) return rows;
      const cursor: string | null | undefined = arTransactions.edges.at(-1)?.cursor;
      if (!cursor || cursor === after) {
        throw new FinanceUnavailableError(
          'bad-response',
          'Xledger said there is a next page but gave no new cursor',
        );
      }
      after = cursor;
    }
    throw new FinanceUnavailableError(
      'bad-response',
      `Xledger's ledger ran past ${MAX_LEDGER_PAGES} pages`,
    );
  }

  async linesOf(target: XledgerTarget, row: LedgerRow) {
    const { salesOrders } = parseWire(
      salesOrdersAnswer,
      await this.call(target, 'read', 'salesOrders', q.SALES_ORDER_LINES, {
        invoiceNumber: row.invoiceNumber,
        subledgerDbId: intOf(row.subledgerDbId),
      }),
      'Xledger salesOrders',
    );
    // An invoice keyed in directly in Xledger has no sales order: no lines, not an error.
    return linesOf(salesOrders.edges[0]?.node.details ?? []);
  }

  call(
    target: XledgerTarget,
    kind: 'read' | 'write',
    operation: string,
    query: string,
    variables: Record<string, unknown>,
  ) {
    return this.graphql.request({
      endpoint: target.endpoint,
      token: target.token,
      circuit: `${target.endpoint}#${target.tenant.slug}`,
      label: `${operation} ${target.tenant.slug}`,
      kind,
      query,
      variables,
    });
  }
}

/** Xledger's dbIds travel as `Int` variables, as its clients send them. */
export function intOf(dbId: string): number | string {
  const n = Number(dbId);
  return Number.isSafeInteger(n) ? n : dbId;
}

export function assertPid(pid: string): void {
  // Checked here so a malformed value never goes out, and never echoed in the message.
  if (!IDENTITY_NUMBER_FORMAT.test(pid))
    throw new TypeError('pid must be an 11-digit national identity number');
}
