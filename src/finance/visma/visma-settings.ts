import { z } from 'zod';
import { FinanceUnavailableError } from '../finance.errors';
import type { FinanceTenant } from '../finance-tenant';
import { INVOICE_CATEGORIES, type CollectionAgency, type InvoiceCategory } from '../invoice.model';
import { isValidAccountNumber } from '../kid';

/** An environment variable of the Visma integration, never any other secret of the process. */
const SECRET_ENV = /^VISMA_[A-Z0-9_]{1,60}$/;

/** Where the portal reads the client secret; only the variable's NAME is in the settings. */
export type EnvLookup = (name: string) => string | undefined;

/**
 * The VISMA_* variables as they are when the portal starts (configuration is read once, at
 * boot); the only ones a municipality's settings can name.
 */
export function vismaSecretsFrom(env: NodeJS.ProcessEnv): EnvLookup {
  const secrets = new Map(
    Object.entries(env).filter(
      (entry): entry is [string, string] => SECRET_ENV.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return (name) => secrets.get(name);
}

export const VISMA_DEFAULT_BASE_URL = 'https://api.finance.visma.net';
export const VISMA_DEFAULT_TOKEN_URL = 'https://connect.visma.com/connect/token';

/**
 * The municipality's Visma.net ERP, from `settings.visma`. `customerKey` says where the resident's
 * identity number is kept on the customer card: the Corporate ID field, or an attribute.
 */
export interface VismaSettings {
  baseUrl: string;
  tokenUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  customerKey: { field: 'corporateId' } | { field: 'attribute'; attributeId: string };
  /** Visma has no bank account per invoice: who is paid and where, by category if they differ. */
  payee: Payee;
  payeeByCategory: Partial<Record<InvoiceCategory, Payee>>;
  /** Visma has no service category: the invoice lines' item numbers say which service it is. */
  categoryByItem: Record<string, InvoiceCategory>;
  /** The agency the municipality's claims in collection go to; Visma names only the case. */
  collectionAgency: CollectionAgency | null;
  /** The dunning level whose letter is the debt collection warning (inkassovarsel). */
  debtCollectionWarningLevel: number;
}

export interface Payee {
  name: string;
  accountNumber: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const payeeSchema = z.strictObject({
  name: text(100),
  accountNumber: z
    .string()
    .refine(isValidAccountNumber, { error: 'is not a valid account number' }),
});

const schema = z.strictObject({
  baseUrl: z.string().optional(),
  tokenUrl: z.string().optional(),
  tenantId: z.uuid(),
  clientId: text(200),
  clientSecretEnv: z.string().regex(SECRET_ENV, {
    error: 'must name an environment variable starting with VISMA_',
  }),
  customerIdField: z
    .string()
    .regex(/^(corporateId|attribute:[A-Za-z0-9_]{1,30})$/, {
      error: 'must be "corporateId" or "attribute:<attribute id>"',
    })
    .optional(),
  payee: payeeSchema,
  payeeByCategory: z.partialRecord(z.enum(INVOICE_CATEGORIES), payeeSchema).optional(),
  categoryByItem: z.record(text(30), z.enum(INVOICE_CATEGORIES)).optional(),
  collectionAgency: z
    .strictObject({
      name: text(100),
      phone: z.string().nullable().optional(),
      url: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  debtCollectionWarningLevel: z.number().int().min(1).max(9).optional(),
});

function notConfigured(tenant: FinanceTenant, problem: string): FinanceUnavailableError {
  return new FinanceUnavailableError(
    'not-configured',
    `municipality ${tenant.slug}: settings.visma${problem}`,
  );
}

/**
 * The tenant's Visma settings, checked; a problem is a typed failure naming the municipality and
 * the setting, never the secret or a value (settings may be pasted with credentials in them).
 */
export function vismaSettingsOf(tenant: FinanceTenant, env: EnvLookup): VismaSettings {
  const parsed = schema.safeParse(tenant.settings.visma);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
    throw notConfigured(tenant, `${where} ${issue.message}`);
  }
  const s = parsed.data;
  const baseUrl = serviceUrl(s.baseUrl ?? VISMA_DEFAULT_BASE_URL, true);
  if (!baseUrl) throw notConfigured(tenant, '.baseUrl must be an https URL without query');
  const tokenUrl = serviceUrl(s.tokenUrl ?? VISMA_DEFAULT_TOKEN_URL, false);
  if (!tokenUrl) throw notConfigured(tenant, '.tokenUrl must be an https URL without query');
  const clientSecret = env(s.clientSecretEnv);
  if (!clientSecret) {
    throw notConfigured(tenant, `.clientSecretEnv names ${s.clientSecretEnv}, which is not set`);
  }
  const field = s.customerIdField ?? 'corporateId';
  return {
    baseUrl,
    tokenUrl,
    tenantId: s.tenantId,
    clientId: s.clientId,
    clientSecret,
    customerKey:
      field === 'corporateId'
        ? { field }
        : { field: 'attribute', attributeId: field.slice('attribute:'.length) },
    payee: s.payee,
    payeeByCategory: s.payeeByCategory ?? {},
    categoryByItem: s.categoryByItem ?? {},
    collectionAgency: s.collectionAgency
      ? {
          name: s.collectionAgency.name,
          phone: s.collectionAgency.phone ?? null,
          url: s.collectionAgency.url ?? null,
        }
      : null,
    debtCollectionWarningLevel: s.debtCollectionWarningLevel ?? 2,
  };
}

/** What stops the tenant's Visma from being reached, as one line, or undefined. */
export function vismaSettingsProblem(tenant: FinanceTenant, env: EnvLookup): string | undefined {
  try {
    vismaSettingsOf(tenant, env);
    return undefined;
  } catch (error) {
    if (error instanceof FinanceUnavailableError) return error.message;
    throw error;
  }
}

/**
 * https, or http to this machine only (the simulator in tests and demos): the token request
 * carries the client secret, and every answer a resident's invoices.
 */
function serviceUrl(raw: string, stripSlash: boolean): string | undefined {
  try {
    const url = new URL(raw);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
    if (!scheme || url.search || url.hash || url.username || url.password) return undefined;
    return stripSlash ? url.href.replace(/\/+$/, '') : url.href;
  } catch {
    return undefined;
  }
}
