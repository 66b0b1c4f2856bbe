import type { z } from 'zod';
import { FinanceNotFoundError, FinanceUnavailableError } from '../finance.errors';
import type { FinanceTenant } from '../finance-tenant';
import type { VismaSettings } from './visma-settings';
import type { VismaTransport } from './visma-transport';
import {
  customerSchema,
  invoiceSchema,
  parseList,
  paymentSchema,
  type VismaCustomer,
  type VismaInvoice,
  type VismaPayment,
} from './visma-wire';

interface Context {
  tenant: FinanceTenant;
  settings: VismaSettings;
  pid: string;
}

/** A resident's ledger has a handful of documents; more pages than this is a runaway answer. */
const MAX_PAGES = 50;

/** The resident's customer card and what hangs on it: invoices and payments, page by page. */
export class VismaCustomers {
  constructor(
    private readonly transport: VismaTransport,
    private readonly pageSize: number,
  ) {}

  /**
   * The customer number whose identity field holds the resident's number, or undefined when they
   * have none. The answer is checked, not trusted: a search the API did not apply would otherwise
   * hand the resident someone else's card. Two cards for one person is for an officer to merge.
   */
  async numberOf(ctx: Context, operation: string): Promise<string | undefined> {
    const key = ctx.settings.customerKey;
    const query =
      key.field === 'corporateId'
        ? `corporateId=${encodeURIComponent(ctx.pid)}`
        : `attributes=${encodeURIComponent(JSON.stringify({ [key.attributeId]: ctx.pid }))}`;
    const { body } = await this.transport.send({
      settings: ctx.settings,
      method: 'GET',
      path: `/v1/customer?${query}`,
      label: `${operation} ${ctx.tenant.slug} (customer)`,
    });
    const found = parseList(customerSchema, body, 'customer search');
    const matching = found.filter((c) => identityOf(c, ctx.settings) === ctx.pid);
    if (matching.length < found.length) {
      throw unusable('a customer search that answered with other customers');
    }
    if (matching.length > 1) throw unusable('more than one customer for one resident');
    return matching[0]?.number;
  }

  async invoicesOf(ctx: Context, customer: string, operation: string): Promise<VismaInvoice[]> {
    try {
      return await this.pages(
        ctx,
        `/v1/customer/${encodeURIComponent(customer)}/invoice`,
        invoiceSchema,
        'invoice list',
        operation,
      );
    } catch (error) {
      // The card went away between the search and the list: nothing to show, as for no card.
      if (error instanceof FinanceNotFoundError) return [];
      throw error;
    }
  }

  paymentsOf(ctx: Context, filter: string, operation: string): Promise<VismaPayment[]> {
    return this.pages(ctx, `/v1/customerPayment?${filter}`, paymentSchema, 'payments', operation);
  }

  private async pages<S extends z.ZodType<{ metadata?: { totalCount?: number } | null }>>(
    ctx: Context,
    path: string,
    schema: S,
    what: string,
    operation: string,
  ): Promise<z.infer<S>[]> {
    const all: z.infer<S>[] = [];
    const separator = path.includes('?') ? '&' : '?';
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { body } = await this.transport.send({
        settings: ctx.settings,
        method: 'GET',
        path: `${path}${separator}pageNumber=${page}&pageSize=${this.pageSize}`,
        label: `${operation} ${ctx.tenant.slug} (${what})`,
      });
      const items = parseList(schema, body, what);
      all.push(...items);
      // Visma puts the total in every item's metadata; without it, a short page is the last.
      const total = items[0]?.metadata?.totalCount;
      const done = total !== undefined ? all.length >= total : items.length < this.pageSize;
      if (items.length === 0 || done) return all;
    }
    throw unusable(`more than ${MAX_PAGES} pages of ${what}`);
  }
}

function identityOf(customer: VismaCustomer, settings: VismaSettings): string | undefined {
  const key = settings.customerKey;
  if (key.field === 'corporateId') return customer.corporateId?.trim() ?? undefined;
  return customer.attributes?.find((a) => a.id === key.attributeId)?.value?.trim() ?? undefined;
}

function unusable(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `Visma.net sent ${what}`);
}
