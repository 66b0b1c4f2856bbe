import { isIsoDate } from '../../src/shared/calendar-date';
import type { DemoLedgerEntry } from '../finance-server/demo-invoices';
import { DEMO_IDENTITY_ATTRIBUTE, vismaCompaniesFrom, type VismaCompany } from './visma-demo-data';

type Dto = Record<string, unknown>;

export type PutOutcome =
  | { kind: 'updated'; etag: string }
  | { kind: 'not-found' }
  | { kind: 'precondition-failed' }
  | { kind: 'bad-request'; message: string };

/** What PUT /v1/customerinvoice/{nr} takes: the `{ "value": … }` wrapper on every field. */
const UPDATABLE = new Set(['documentDueDate', 'note']);

/**
 * Visma.net companies (one per municipality, each its own Visma Connect tenant) in memory. Every
 * document carries a `timeStamp` (rowversion, base64) that changes with each update; its ETag is
 * that value in quotes, as Visma's API sends it.
 */
export class VismaStore {
  private readonly companies: Map<string, VismaCompany>;
  private version = 0;
  /** Due dates really written per invoice number: what exactly-once tests read. */
  readonly appliedPerInvoice: Record<string, number> = {};

  constructor(
    ledger: readonly DemoLedgerEntry[],
    /** Municipality slug per Visma tenant id. */
    private readonly tenants: Readonly<Record<string, string>>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.companies = vismaCompaniesFrom(structuredClone(ledger));
    for (const slug of Object.values(tenants)) {
      if (!this.companies.has(slug))
        this.companies.set(slug, { customers: [], invoices: [], payments: [] });
    }
    for (const company of this.companies.values()) {
      for (const document of [...company.customers, ...company.invoices, ...company.payments]) {
        this.stamp(document);
      }
    }
  }

  hasTenant(tenantId: string): boolean {
    return this.companyOf(tenantId) !== undefined;
  }

  /** GET /v1/customer with `corporateId` or `attributes={"ID":"value"}`; an error for a bad filter. */
  customers(tenantId: string, query: URLSearchParams): Dto[] | { error: string } {
    let customers = this.companyOf(tenantId)?.customers ?? [];
    const corporateId = query.get('corporateId');
    if (corporateId !== null) customers = customers.filter((c) => c.corporateId === corporateId);
    const attributes = query.get('attributes');
    if (attributes !== null) {
      let wanted: Record<string, unknown>;
      try {
        wanted = JSON.parse(attributes) as Record<string, unknown>;
      } catch {
        return { error: 'attributes must be JSON like {"AttributeID":"ValueID"}' };
      }
      for (const [id, value] of Object.entries(wanted ?? {})) {
        if (id !== DEMO_IDENTITY_ATTRIBUTE) return { error: `Attribute ${id} does not exist` };
        customers = customers.filter((c) =>
          (c.attributes as { id: string; value: string }[]).some(
            (a) => a.id === id && String(value).split(',').includes(a.value),
          ),
        );
      }
    }
    return customers;
  }

  /** A customer card as an officer would add it (e.g. a second card for one person). */
  addCustomer(tenantId: string, customer: Dto): void {
    const company = this.companyOf(tenantId);
    if (!company) throw new Error(`no company for tenant ${tenantId}`);
    this.stamp(customer);
    company.customers.push(customer);
  }

  hasCustomer(tenantId: string, number: string): boolean {
    return (this.companyOf(tenantId)?.customers ?? []).some((c) => c.number === number);
  }

  invoicesOf(tenantId: string, customerNumber: string): Dto[] {
    return (this.companyOf(tenantId)?.invoices ?? []).filter(
      (i) => (i.customer as { number: string }).number === customerNumber,
    );
  }

  invoice(tenantId: string, number: string): Dto | undefined {
    return this.companyOf(tenantId)?.invoices.find((i) => i.referenceNumber === number);
  }

  /** GET /v1/customerPayment filtered by `customer` and/or `invoiceRefNbr`. */
  payments(tenantId: string, query: URLSearchParams): Dto[] {
    const customer = query.get('customer');
    const invoice = query.get('invoiceRefNbr');
    return (this.companyOf(tenantId)?.payments ?? []).filter(
      (p) =>
        (customer === null || (p.customer as { number: string }).number === customer) &&
        (invoice === null ||
          (p.paymentLines as { refNbr: string }[]).some((l) => l.refNbr === invoice)),
    );
  }

  /** Synchronous from the If-Match check to the write: two PUTs with one ETag cannot both pass. */
  updateInvoice(
    tenantId: string,
    number: string,
    ifMatch: string | null,
    body: unknown,
  ): PutOutcome {
    const invoice = this.invoice(tenantId, number);
    if (!invoice) return { kind: 'not-found' };
    if (ifMatch !== null && unquote(ifMatch) !== invoice.timeStamp) {
      return { kind: 'precondition-failed' };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return {
        kind: 'bad-request',
        message: 'The request body must be a CustomerInvoiceUpdateDto',
      };
    }
    const changes: Dto = {};
    for (const [field, wrapped] of Object.entries(body)) {
      if (!UPDATABLE.has(field)) {
        return { kind: 'bad-request', message: `${field} cannot be updated in this simulator` };
      }
      if (wrapped === null || typeof wrapped !== 'object' || !('value' in wrapped)) {
        return { kind: 'bad-request', message: `${field} must be given as {"value": …}` };
      }
      changes[field] = (wrapped as { value: unknown }).value;
    }
    if ('documentDueDate' in changes) {
      const value = changes.documentDueDate;
      if (typeof value !== 'string' || !isIsoDate(value.slice(0, 10))) {
        return { kind: 'bad-request', message: 'documentDueDate.value must be a date' };
      }
      changes.documentDueDate = `${value.slice(0, 10)}T00:00:00`;
    }
    if ('note' in changes && changes.note !== null && typeof changes.note !== 'string') {
      return { kind: 'bad-request', message: 'note.value must be text' };
    }
    if (invoice.status === 'Closed') {
      return { kind: 'bad-request', message: 'The document is closed and cannot be updated' };
    }
    if ('documentDueDate' in changes && changes.documentDueDate !== invoice.documentDueDate) {
      this.appliedPerInvoice[number] = (this.appliedPerInvoice[number] ?? 0) + 1;
    }
    Object.assign(invoice, changes);
    this.stamp(invoice);
    return { kind: 'updated', etag: etagOf(invoice) };
  }

  /** Someone edits the invoice in Visma's window (a note of their own): its version changes. */
  touch(tenantId: string, number: string, note = 'Saksbehandler ringte kunden.'): void {
    const invoice = this.invoice(tenantId, number);
    if (!invoice) return;
    invoice.note = typeof invoice.note === 'string' ? `${note}\n${invoice.note}` : note;
    this.stamp(invoice);
  }

  /** Changes a stored document as a test needs it (e.g. drops a field); bumps its version. */
  patchInvoice(tenantId: string, number: string, patch: (invoice: Dto) => void): void {
    const invoice = this.invoice(tenantId, number);
    if (!invoice) throw new Error(`no invoice ${number}`);
    patch(invoice);
    this.stamp(invoice);
  }

  private companyOf(tenantId: string): VismaCompany | undefined {
    const slug = this.tenants[tenantId];
    return slug === undefined ? undefined : this.companies.get(slug);
  }

  private stamp(document: Dto): void {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64BE(BigInt(++this.version));
    document.timeStamp = bytes.toString('base64');
    document.lastModifiedDateTime = this.now().toISOString().slice(0, 19);
  }
}

export function etagOf(document: Dto): string {
  return `"${String(document.timeStamp)}"`;
}

function unquote(value: string): string {
  return value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}
