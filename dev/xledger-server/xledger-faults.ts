import { z } from 'zod';

/**
 * Misbehaviour on demand, the way Xledger misbehaves:
 * - `burst`, `concurrency`, `credits`: HTTP 200 with `errors[]` carrying Xledger's codes
 *   `BAD_REQUEST.BURST_RATE_LIMIT_REACHED`, `…CONCURRENCY_LIMIT_REACHED`, `…INSUFFICIENT_CREDITS`;
 * - `graphql-error`: HTTP 200 with `errors[]` (`message`, `code` as configured) and no data;
 * - `http500`: a 500 with an HTML body, as a proxy in front of it would send;
 * - `slow`: wait `delayMs`, then answer;
 * - `drop`: handle the request (a mutation really applies), then cut the connection;
 * - `missing-due-date`, `bad-amount`: a 200 whose AR transactions lack `dueDate`, or carry
 *   amounts that are not decimal numbers;
 * - `ignore-update`: answer a mutation as done without changing anything;
 * - `concurrent-edit`: apply a mutation, then move the due date again three days on, as a
 *   person in Xledger would between our write and our read-back.
 */
export const XLEDGER_FAULT_MODES = [
  'none',
  'burst',
  'concurrency',
  'credits',
  'graphql-error',
  'http500',
  'slow',
  'drop',
  'missing-due-date',
  'bad-amount',
  'ignore-update',
  'concurrent-edit',
] as const;
export type XledgerFaultMode = (typeof XLEDGER_FAULT_MODES)[number];

export const xledgerFaultSchema = z.strictObject({
  mode: z.enum(XLEDGER_FAULT_MODES),
  /** Chance per matching request, 0–1; default 1. */
  probability: z.number().min(0).max(1).optional(),
  /** For `slow`; default 5000. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Only requests whose root fields include one of these, e.g. "updateArTransactions". */
  operations: z.array(z.string().min(1)).optional(),
  /** Only the next N matching requests; then the mode returns to `none`. */
  times: z.number().int().min(1).optional(),
  /** For `graphql-error`. */
  message: z.string().optional(),
  code: z.string().optional(),
});
export type XledgerFaultConfig = z.infer<typeof xledgerFaultSchema>;

const CODES: Partial<Record<XledgerFaultMode, { code: string; message: string }>> = {
  burst: { code: 'BAD_REQUEST.BURST_RATE_LIMIT_REACHED', message: 'Burst rate limit reached' },
  concurrency: {
    code: 'BAD_REQUEST.CONCURRENCY_LIMIT_REACHED',
    message: 'Too many concurrent requests',
  },
  credits: { code: 'BAD_REQUEST.INSUFFICIENT_CREDITS', message: 'Not enough credits' },
};

/** The `errors[]` an error mode answers with, or undefined for modes that answer otherwise. */
export function faultErrors(
  config: XledgerFaultConfig,
): { message: string; code?: string }[] | undefined {
  if (config.mode === 'graphql-error') {
    return [
      {
        message: config.message ?? 'An unexpected error occurred',
        ...(config.code ? { code: config.code } : {}),
      },
    ];
  }
  const canned = CODES[config.mode];
  return canned ? [canned] : undefined;
}

export class XledgerFaults {
  private config: XledgerFaultConfig = { mode: 'none' };
  private injected = 0;

  constructor(
    initial?: XledgerFaultConfig,
    private readonly random: () => number = Math.random,
  ) {
    if (initial) this.set(initial);
  }

  set(config: XledgerFaultConfig): void {
    this.config = xledgerFaultSchema.parse(config);
  }

  current(): XledgerFaultConfig & { injected: number } {
    return { ...this.config, injected: this.injected };
  }

  /** The fault for a request touching these root fields, counted, or `none`. */
  draw(rootFields: readonly string[]): XledgerFaultConfig {
    const { mode, operations, probability, times } = this.config;
    if (mode === 'none') return this.config;
    if (operations && !operations.some((o) => rootFields.includes(o))) return { mode: 'none' };
    if (this.random() >= (probability ?? 1)) return { mode: 'none' };
    const drawn = this.config;
    if (times !== undefined)
      this.config = times > 1 ? { ...this.config, times: times - 1 } : { mode: 'none' };
    this.injected++;
    return drawn;
  }
}

/** Rewrites AR transaction nodes anywhere in `data`, for the malformed-answer modes. */
export function corruptNodes(data: unknown, mode: XledgerFaultMode): unknown {
  if (Array.isArray(data)) return data.map((d) => corruptNodes(d, mode));
  if (data === null || typeof data !== 'object') return data;
  const entries = Object.entries(data).map(([k, v]) => [k, corruptNodes(v, mode)] as const);
  const node = Object.fromEntries(entries) as Record<string, unknown>;
  if ('invoiceNumber' in node && 'dueDate' in node && mode === 'missing-due-date') {
    delete node.dueDate;
  }
  if (mode === 'bad-amount') {
    for (const key of ['amount', 'invoiceAmount', 'invoiceRemaining']) {
      if (typeof node[key] === 'string') node[key] = `${String(node[key]).replace('.', ',')} kr`;
    }
  }
  return node;
}
