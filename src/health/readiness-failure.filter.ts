import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';

/**
 * A failing readiness probe is the probe doing its job, asked every few seconds while it lasts:
 * one warn line naming what is down, no stack, and terminus's result as the body.
 */
@Catch(ServiceUnavailableException)
export class ReadinessFailureFilter implements ExceptionFilter {
  private readonly logger = new Logger('Readiness');

  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const result = exception.getResponse() as Partial<HealthCheckResult>;
    const reasons = Object.entries(result.error ?? {})
      .map(([key, detail]) => {
        const message = (detail as { message?: unknown }).message;
        return `${key}: ${typeof message === 'string' ? message : 'down'}`;
      })
      .join('; ');
    this.logger.warn(`Not ready: ${reasons || (result.status ?? 'down')}`);
    host.switchToHttp().getResponse<Response>().status(503).json(result);
  }
}
