import type { FinanceTenant } from '../finance-tenant';

/** The demo entities' collection agency, as a municipality would name it in its settings. */
export const FJELLINKASSO = {
  name: 'Fjellinkasso AS',
  phone: null,
  url: 'https://fjellinkasso.example',
};

/**
 * A tenant served by the Xledger stand-in at `endpoint`, its token in the environment variable
 * `XLEDGER_TOKEN_<SLUG>`; `extra` adds to (or replaces) its `settings.xledger`, e.g. the stand-in's
 * `demoXledgerSettings(slug)`.
 */
export function xledgerTenant(
  slug: string,
  endpoint: string,
  extra: Record<string, unknown> = {},
): FinanceTenant {
  return {
    id: `id-${slug}`,
    slug,
    settings: {
      financeAdapter: 'xledger',
      xledger: {
        url: endpoint,
        tokenEnv: xledgerTokenEnv(slug),
        payee: `${slug[0].toUpperCase()}${slug.slice(1)} kommune`,
        collectionAgency: FJELLINKASSO,
        ...extra,
      },
    },
  };
}

export function xledgerTokenEnv(slug: string): string {
  return `XLEDGER_TOKEN_${slug.toUpperCase()}`;
}
