import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY_FILE } from './policy-paths';
import { CompiledPolicy } from './compiled-policy';
import type { DeferralFacts } from './facts';
import { loadPolicy } from './policy-loader';

/** Test data for the policy folder. Built here, never taken from the demo seed. */

export function defaultPolicyText(): string {
  return readFileSync(DEFAULT_POLICY_FILE, 'utf8');
}

/** The default policy as plain JSON, to change or break on purpose with `setAt` / `removeAt`. */
export function defaultPolicyJson(): Record<string, unknown> {
  return JSON.parse(defaultPolicyText()) as Record<string, unknown>;
}

/** Sets the value at a JSON Pointer (the same paths the loader reports), creating nothing on the way. */
export function setAt(json: unknown, pointer: string, value: unknown): void {
  const { parent, key } = locate(json, pointer);
  parent[key] = value;
}

export function removeAt(json: unknown, pointer: string): void {
  const { parent, key } = locate(json, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

export function getAt(json: unknown, pointer: string): unknown {
  const { parent, key } = locate(json, pointer);
  return parent[key];
}

function locate(json: unknown, pointer: string): { parent: Record<string, unknown>; key: string } {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = tokens.pop()!;
  let parent = json as Record<string, unknown>;
  for (const token of tokens) {
    if (parent[token] === null || typeof parent[token] !== 'object')
      throw new Error(`No ${token} in ${pointer}`);
    parent = parent[token] as Record<string, unknown>;
  }
  return { parent, key };
}

export function compileText(text: string): CompiledPolicy {
  const result = loadPolicy(text);
  if (!result.ok) throw new Error(`test policy does not load: ${JSON.stringify(result.errors)}`);
  return new CompiledPolicy(result.policy, result.hash);
}

export function compiledDefaultPolicy(): CompiledPolicy {
  return compileText(defaultPolicyText());
}

/** A request the default policy approves, with every fact one step inside its limit where that is easy. */
export function approvableFacts(overrides: Partial<DeferralFacts> = {}): DeferralFacts {
  return {
    amountOre: 250_000,
    invoiceType: 'VANN_AVLOP',
    invoiceStatus: 'IKKE_BETALT',
    inCollection: false,
    alreadyDeferred: false,
    today: '2026-03-10',
    dueDate: '2026-03-20',
    requestedDueDate: '2026-04-10',
    daysUntilDue: 10,
    daysPastDue: 0,
    requestedDays: 21,
    deferralsLast6Months: 0,
    deferralsLast12Months: 0,
    unpaidInvoiceCount: 1,
    unpaidTotalOre: 250_000,
    latePaymentsLast12Months: 0,
    remindersLast12Months: 0,
    collectionCasesLast24Months: 0,
    ...overrides,
  };
}
