/**
 * Misbehaviour on demand for the SvarUt stand-in:
 * - `slow`: wait `delayMs`, then answer as usual;
 * - `late`: take the forsendelse at once, answer only after `delayMs` (a client that timed out
 *   does not know SvarUt took the letter);
 * - `error500`: 500 with a Fiks error body, nothing stored;
 * - `drop`: store the forsendelse (or look it up), then cut the connection before any answer;
 * - `revoke-tokens`: every issued token is revoked just before the request (401);
 * - `token-down`: the token endpoint answers 503 (use `paths: ['/token']`).
 */
export const SVARUT_FAULT_MODES = [
  'none',
  'slow',
  'late',
  'error500',
  'drop',
  'revoke-tokens',
  'token-down',
] as const;
export type SvarUtFaultMode = (typeof SVARUT_FAULT_MODES)[number];

export interface SvarUtFaultConfig {
  mode: SvarUtFaultMode;
  /** Only requests whose "METHOD /path" contains one of these. */
  paths?: string[];
  /** Only the next N matching requests; then the mode returns to `none`. */
  times?: number;
  delayMs?: number;
}

export class SvarUtFaults {
  private config: SvarUtFaultConfig = { mode: 'none' };

  set(config: SvarUtFaultConfig): void {
    if (!SVARUT_FAULT_MODES.includes(config.mode)) throw new Error(`unknown fault ${config.mode}`);
    this.config = { ...config };
  }

  /** The fault for this request, if any; counts it against `times`. */
  draw(request: string): SvarUtFaultConfig | undefined {
    const config = this.config;
    if (config.mode === 'none') return undefined;
    if (config.paths && !config.paths.some((p) => request.includes(p))) return undefined;
    if (config.times !== undefined)
      this.config = config.times > 1 ? { ...config, times: config.times - 1 } : { mode: 'none' };
    return config;
  }
}
