import { z } from 'zod';
import { FinanceUnavailableError } from '../finance.errors';
import type { FinanceTenant } from '../finance-tenant';
import {
  INVOICE_CATEGORIES,
  type CollectionAgency,
  type InvoiceCategory,
  type InvoiceStatus,
} from '../invoice.model';
import { isValidAccountNumber, normalizeAccountNumber } from '../kid';

/** Reads an environment variable by name. */
export type EnvLookup = (name: string) => string | undefined;

/**
 * Settings may name XLEDGER_* variables only: a setting naming SESSION_SECRET would otherwise send
 * it, as an API token, to whatever URL the settings give.
 */
const TOKEN_ENV = /^XLEDGER_[A-Z0-9_]{1,60}$/;

/** The XLEDGER_* variables as they are when the portal starts; the only ones settings can name. */
export function xledgerSecretsFrom(env: NodeJS.ProcessEnv): EnvLookup {
  const secrets = new Map(
    Object.entries(env).filter(
      (entry): entry is [string, string] => TOKEN_ENV.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return (name) => secrets.get(name);
}

export const XLEDGER_DEFAULT_URL = 'https://www.xledger.net/graphql';

/** Payment statuses (betalingsstatus) that put a claim on the way to or with a collection agency. */
export type CollectionStatus = Exclude<InvoiceStatus, 'PAID' | 'UNPAID'>;

/** Used when `paymentStatuses` is not set: the names Norwegian Xledger entities commonly use. */
export const DEFAULT_PAYMENT_STATUSES: Readonly<Record<string, CollectionStatus>> = {
  Inkassovarsel: 'DEBT_COLLECTION_WARNING',
  'Sendt til inkasso': 'SENT_TO_DEBT_COLLECTION',
  Inkasso: 'IN_DEBT_COLLECTION',
};

/**
 * A municipality's `settings.xledger` (with `financeAdapter: "xledger"`). The API token is never
 * here: `tokenEnv` names the environment variable holding it (one token per Xledger entity).
 */
export interface XledgerSettings {
  /** The GraphQL endpoint: https://www.xledger.net/graphql (live) or https://demo.xledger.net/graphql. */
  endpoint: string;
  tokenEnv: string;
  /** Who residents pay, e.g. "Fjordvik kommune": Xledger's AR transactions do not say. */
  payee: string;
  /** The payee per account number (11 digits), where an account is not `payee`'s. */
  payees: Readonly<Record<string, string>>;
  /** The account to pay to when an AR transaction carries no `bankAccount`. */
  accountNumber: string | null;
  /** Transaction source (voucher type) code → the portal's category; others are ANNET. */
  categories: Readonly<Record<string, InvoiceCategory>>;
  /** Payment status name → collection status; other names are UNPAID (or PAID when settled). */
  paymentStatuses: Readonly<Record<string, CollectionStatus>>;
  /** The agency the municipality sends claims to; Xledger's AR transactions do not name it. */
  collectionAgency: CollectionAgency | null;
}

const httpUrl = z.string().refine(
  (raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.hash;
    } catch {
      return false;
    }
  },
  { error: 'must be an http(s) URL without credentials' },
);

const settingsSchema = z.strictObject({
  url: httpUrl.optional(),
  tokenEnv: z.string().regex(TOKEN_ENV, 'must name an environment variable starting with XLEDGER_'),
  payee: z.string().trim().min(1).max(100),
  payees: z
    .record(
      z.string().refine((v) => isValidAccountNumber(v), 'keys must be valid account numbers'),
      z.string().trim().min(1).max(100),
    )
    .optional(),
  accountNumber: z
    .string()
    .refine((v) => isValidAccountNumber(v), 'must be a valid 11-digit account number')
    .optional(),
  categories: z.record(z.string().min(1), z.enum(INVOICE_CATEGORIES)).optional(),
  paymentStatuses: z
    .record(
      z.string().min(1),
      z.enum(['DEBT_COLLECTION_WARNING', 'SENT_TO_DEBT_COLLECTION', 'IN_DEBT_COLLECTION']),
    )
    .optional(),
  collectionAgency: z
    .strictObject({
      name: z.string().trim().min(1).max(100),
      phone: z
        .string()
        .regex(/^\+?\d[\d ]{1,22}\d$/, 'must be a phone number')
        .nullable()
        .optional(),
      url: z
        .string()
        .refine((v) => v.startsWith('https://') && URL.canParse(v), 'must be an https address')
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

function notConfigured(tenant: FinanceTenant, problem: string): FinanceUnavailableError {
  return new FinanceUnavailableError('not-configured', `municipality ${tenant.slug}: ${problem}`);
}

/** The tenant's Xledger settings, or a not-configured failure naming the setting (never its value). */
export function xledgerSettingsOf(tenant: FinanceTenant): XledgerSettings {
  const parsed = settingsSchema.safeParse(tenant.settings.xledger);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['settings.xledger', ...issue.path.map(String)].join('.');
    const what = issue.code === 'invalid_type' && issue.path.length === 0 ? 'must be set' : '';
    throw notConfigured(tenant, `${path} ${what || issue.message}`);
  }
  const s = parsed.data;
  return {
    endpoint: (s.url ?? XLEDGER_DEFAULT_URL).replace(/\/+$/, ''),
    tokenEnv: s.tokenEnv,
    payee: s.payee,
    payees: Object.fromEntries(
      Object.entries(s.payees ?? {}).map(([account, payee]) => [
        normalizeAccountNumber(account)!,
        payee,
      ]),
    ),
    accountNumber: s.accountNumber ? normalizeAccountNumber(s.accountNumber)! : null,
    categories: s.categories ?? {},
    paymentStatuses: s.paymentStatuses ?? DEFAULT_PAYMENT_STATUSES,
    collectionAgency: s.collectionAgency
      ? {
          name: s.collectionAgency.name,
          phone: s.collectionAgency.phone ?? null,
          url: s.collectionAgency.url ?? null,
        }
      : null,
  };
}

/** The token from the environment variable the settings name; never shown in a message. */
export function xledgerTokenOf(
  tenant: FinanceTenant,
  settings: XledgerSettings,
  env: EnvLookup,
): string {
  const token = env(settings.tokenEnv)?.trim();
  if (!token) {
    throw notConfigured(
      tenant,
      `settings.xledger.tokenEnv names ${settings.tokenEnv}, which is not set`,
    );
  }
  return token;
}

/** What stops the tenant's Xledger from being reached, as one line, or undefined. */
export function xledgerSettingsProblem(tenant: FinanceTenant, env: EnvLookup): string | undefined {
  try {
    xledgerTokenOf(tenant, xledgerSettingsOf(tenant), env);
    return undefined;
  } catch (error) {
    if (error instanceof FinanceUnavailableError) return error.message;
    throw error;
  }
}
