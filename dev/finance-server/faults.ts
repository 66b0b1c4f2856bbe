import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * Misbehaviour on demand, to prove the portal survives it:
 * - `slow`: wait `delayMs` before handling (the request is still handled afterwards);
 * - `error500`: answer 500 without handling;
 * - `drop`: handle the request (a PUT really applies) and then cut the connection before any
 *   answer: the nastiest case for exactly-once;
 * - `reject`: answer 503 with Retry-After, as during maintenance;
 * - `bad-json`, `bad-types`, `float-amounts`: a 2xx answer that is truncated JSON, has amounts as
 *   strings, or has amounts in kroner with decimals.
 */
export const FAULT_MODES = [
  'none',
  'slow',
  'error500',
  'drop',
  'reject',
  'bad-json',
  'bad-types',
  'float-amounts',
] as const;

export const faultConfigSchema = z.strictObject({
  mode: z.enum(FAULT_MODES),
  /** Chance per matching request, 0–1; default 1. */
  probability: z.number().min(0).max(1).optional(),
  /** For `slow`; default 5000. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Only requests whose "METHOD /path" contains one of these, e.g. "PUT " or "/payment-history". */
  paths: z.array(z.string().min(1)).optional(),
  /** Only the next N matching requests; then the mode returns to `none`. */
  times: z.number().int().min(1).optional(),
});
export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** FINANCE_FAULT_MODE, FINANCE_FAULT_PROBABILITY, FINANCE_FAULT_DELAY_MS, FINANCE_FAULT_PATHS (comma-separated). */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultConfig {
  return faultConfigSchema.parse({
    mode: env.FINANCE_FAULT_MODE ?? 'none',
    probability: env.FINANCE_FAULT_PROBABILITY ? Number(env.FINANCE_FAULT_PROBABILITY) : undefined,
    delayMs: env.FINANCE_FAULT_DELAY_MS ? Number(env.FINANCE_FAULT_DELAY_MS) : undefined,
    paths: env.FINANCE_FAULT_PATHS
      ? env.FINANCE_FAULT_PATHS.split(',').map((p) => p.trim())
      : undefined,
  });
}

export class FaultInjector {
  private config: FaultConfig = { mode: 'none' };
  private injected = 0;
  private readonly delays = new Set<NodeJS.Timeout>();

  constructor(
    initial?: FaultConfig,
    private readonly random: () => number = Math.random,
  ) {
    if (initial) this.set(initial);
  }

  set(config: FaultConfig): void {
    this.config = faultConfigSchema.parse(config);
  }

  current(): FaultConfig & { injected: number } {
    return { ...this.config, injected: this.injected };
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const mode = this.draw(`${req.method} ${req.path}`);
      if (mode === 'none') return next();
      this.injected++;
      if (mode !== 'slow') return applyFault(mode, req, res, next);
      const delay = setTimeout(() => {
        this.delays.delete(delay);
        next();
      }, this.config.delayMs ?? 5_000);
      this.delays.add(delay);
    };
  }

  /** Forgets delayed requests, so a closing server does not wait for them. */
  dispose(): void {
    for (const delay of this.delays) clearTimeout(delay);
    this.delays.clear();
  }

  private draw(request: string): FaultConfig['mode'] {
    const { mode, paths, probability, times } = this.config;
    if (mode === 'none') return 'none';
    if (paths && !paths.some((p) => request.includes(p))) return 'none';
    if (this.random() >= (probability ?? 1)) return 'none';
    if (times !== undefined)
      this.config = times > 1 ? { ...this.config, times: times - 1 } : { mode: 'none' };
    return mode;
  }
}

function applyFault(
  mode: FaultConfig['mode'],
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  switch (mode) {
    case 'error500':
      res
        .status(500)
        .type('application/problem+json')
        .json(problem(500, 'INTERNAL_ERROR', 'Injected failure'));
      return;
    case 'reject':
      res
        .status(503)
        .set('retry-after', '30')
        .type('application/problem+json')
        .json(problem(503, 'MAINTENANCE', 'Injected maintenance'));
      return;
    case 'drop':
      // Handle for real, then lose the answer: the client cannot know whether the change happened.
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as Response['end'];
      return next();
    default:
      corruptBody(mode, res);
      return next();
  }
}

function corruptBody(mode: FaultConfig['mode'], res: Response): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode >= 300) return json(body);
    if (mode === 'bad-json')
      return res.type('application/json').send(JSON.stringify(body).slice(0, 40));
    return json(mapAmounts(body, mode === 'bad-types' ? (v) => String(v) : (v) => v / 100));
  };
}

/** Rewrites every `…Ore` amount, however deeply nested. */
function mapAmounts(value: unknown, map: (ore: number) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapAmounts(v, map));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith('Ore') && typeof v === 'number' ? map(v) : mapAmounts(v, map),
    ]),
  );
}

export function problem(status: number, code: string, detail: string) {
  return {
    type: `urn:finance-system:problem:${code.toLowerCase()}`,
    title: detail,
    status,
    detail,
    code,
  };
}
