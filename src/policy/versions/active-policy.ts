import type { CompiledPolicy } from '../engine/compiled-policy';

/** The version a municipality's decisions and invoice pages use now: its stored row and its rules. */
export interface ActivePolicy {
  /** The `policy_versions` row; every decision records it. */
  readonly versionId: string;
  readonly compiled: CompiledPolicy;
}

/** What the policy needs to know of a municipality; tenancy's `CurrentMunicipality` fits as is. */
export interface PolicyTenant {
  readonly id: string;
  readonly slug: string;
  /** Loose JSON as stored: `policyFile` is checked where it is read. */
  readonly settings: { readonly policyFile?: unknown };
}
