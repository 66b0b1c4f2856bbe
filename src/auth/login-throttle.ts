import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * Login starts per client address and minute, beside the general limit: each start costs a round
 * trip to ID-porten and a short-lived session row, so a flood of them is refused early (429).
 */
export function loginStartThrottler(limit: number): ThrottlerOptions {
  return {
    name: 'login',
    ttl: 60_000,
    limit,
    skipIf: (context: ExecutionContext) =>
      context.switchToHttp().getRequest<Request>().path !== '/auth/login',
  };
}
