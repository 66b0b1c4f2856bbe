/**
 * The municipality a finance call is made for. `CurrentMunicipality` from tenancy fits as is; the
 * adapters read only their own keys from `settings` (`financeAdapter`, `financeBaseUrl`) and
 * validate them, since settings are stored as loose JSON.
 */
export interface FinanceTenant {
  /** Our id for the municipality (uuid); used to scope data in the embedded ledger. */
  readonly id: string;
  /** Stable short name, e.g. `fjordvik`; the HTTP adapter sends it as `{municipality}`. */
  readonly slug: string;
  readonly settings: Readonly<Record<string, unknown>>;
}
