import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The municipality a request is served for: a plain snapshot, safe to hand to views and services. */
export interface CurrentMunicipality {
  id: string;
  slug: string;
  name: string;
  orgNumber: string;
  contactEmail: string;
  contactPhone: string;
  settings: Record<string, unknown>;
  /** The host names it is served on, lower case. */
  hostnames: readonly string[];
}

export type RequestWithMunicipality = Request;

/** Injects the request's municipality; the tenancy middleware guarantees there is one on routed pages. */
export const ForMunicipality = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): CurrentMunicipality => {
    const municipality = ctx.switchToHttp().getRequest<RequestWithMunicipality>().municipality;
    if (!municipality) throw new Error('No municipality resolved for this request');
    return municipality;
  },
);

/** The origin of this request's municipality (set by the tenancy middleware for every routed request). */
export function publicOrigin(req: Request): string {
  if (!req.publicOrigin) throw new Error('No municipality resolved for this request');
  return req.publicOrigin;
}
