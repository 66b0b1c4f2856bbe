/**
 * Why a letter did not go, as a stable code (stored as the job's error and audited): never the
 * service's own text, which may quote the letter or the identity number.
 * - `retryable`: the service was down, slow or refused for now (5xx, 429, time-out, network);
 * - otherwise sending the same request again cannot help (4xx, bad settings, a letter that
 *   cannot be written).
 */
export class DigitalPostError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(code);
    this.name = 'DigitalPostError';
  }
}

/** A failed HTTP exchange as a code: `svarut-http-503`, `maskinporten-timeout`, … */
export function httpFailure(service: string, status: number): DigitalPostError {
  const retryable = status >= 500 || status === 429 || status === 408;
  return new DigitalPostError(`${service}-http-${status}`, retryable);
}

export function transportFailure(service: string, error: unknown): DigitalPostError {
  const name = (error as { name?: unknown } | null)?.name;
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const detail = timedOut ? 'timeout' : typeof code === 'string' ? code : 'network';
  return new DigitalPostError(`${service}-${detail}`, true);
}
