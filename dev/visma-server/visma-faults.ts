/**
 * Misbehaviour on demand for the Visma.net stand-in, as dev/finance-server/faults.ts does for our
 * own contract, plus Visma's own ways of failing:
 * - `slow`: wait `delayMs`, then answer as usual;
 * - `error500`: 500 with Visma's error body, nothing done;
 * - `rate-limit`: 429 with Retry-After (`retryAfterSeconds`) and the X-RateLimit-* headers;
 * - `drop`: do the request (a PUT really applies), then cut the connection before any answer;
 * - `bad-json`: a 2xx answer whose JSON is cut short;
 * - `concurrent-change`: someone edits the invoice in Visma's window just before a PUT arrives,
 *   so its If-Match no longer matches (412);
 * - `revoke-tokens`: every issued token is revoked just before the request (401);
 * - `token-down`: the token endpoint answers 503 (use `paths: ['POST /connect/token']`).
 */
export const VISMA_FAULT_MODES = [
  'none',
  'slow',
  'error500',
  'rate-limit',
  'drop',
  'bad-json',
  'concurrent-change',
  'revoke-tokens',
  'token-down',
] as const;
export type VismaFaultMode = (typeof VISMA_FAULT_MODES)[number];

export interface VismaFaultConfig {
  mode: VismaFaultMode;
  /** Only requests whose "METHOD /path" (no query) contains one of these. */
  paths?: string[];
  /** Only the next N matching requests; then the mode returns to `none`. */
  times?: number;
  delayMs?: number;
  retryAfterSeconds?: number;
}

export class VismaFaults {
  private config: VismaFaultConfig = { mode: 'none' };
  private injected = 0;

  set(config: VismaFaultConfig): void {
    if (!VISMA_FAULT_MODES.includes(config.mode)) throw new Error(`unknown fault ${config.mode}`);
    this.config = { ...config };
  }

  current(): VismaFaultConfig & { injected: number } {
    return { ...this.config, injected: this.injected };
  }

  /** The fault for this request, if any; counts it against `times`. */
  draw(request: string): VismaFaultConfig | undefined {
    const config = this.config;
    if (config.mode === 'none') return undefined;
    if (config.paths && !config.paths.some((p) => request.includes(p))) return undefined;
    if (config.times !== undefined) {
      this.config = config.times > 1 ? { ...config, times: config.times - 1 } : { mode: 'none' };
    }
    this.injected++;
    return config;
  }
}
