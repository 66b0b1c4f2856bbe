import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { STAFF_LOGIN_PATH } from './staff/staff.errors';

/** Where residents' and staff's logins start. */
const LOGIN_START_PATHS = new Set(['/auth/login', STAFF_LOGIN_PATH]);

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
      !LOGIN_START_PATHS.has(context.switchToHttp().getRequest<Request>().path.toLowerCase()),
  };
}
