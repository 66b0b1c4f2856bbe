import type { DeferralRequest } from '../deferrals';
import { policyOutcomeOf } from '../deferrals';

/** Why a case is with a person: the policy sent it, or the resident asked after a rejection. */
export type QueueWhy = 'policy' | 'resident';
export const QUEUE_STATES = ['awaiting_officer', 'taken', 'mine', 'awaiting_resident'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
/** "Waited at least": the age filter's choices, in days. */
export const QUEUE_AGES = [1, 3, 8, 15, 31] as const;

export interface QueueFilter {
  municipalityId?: string;
  why?: QueueWhy;
  reason?: string;
  invoiceType?: string;
  minDays?: number;
  state?: QueueState;
}

const one = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The queue's filter from the query string; anything not one of the choices is dropped (a
 * hand-edited URL shows the whole queue, never an error), and a municipality only if served.
 */
export function parseQueueFilter(
  query: Record<string, unknown>,
  served: readonly string[],
): QueueFilter {
  const municipalityId = one(query.kommune);
  const why = one(query.hvorfor);
  const age = Number(one(query.alder));
  const state = one(query.status);
  return {
    municipalityId: municipalityId && served.includes(municipalityId) ? municipalityId : undefined,
    why: why === 'policy' || why === 'resident' ? why : undefined,
    reason: one(query.grunn)?.slice(0, 100),
    invoiceType: one(query.type)?.slice(0, 40),
    minDays: (QUEUE_AGES as readonly number[]).includes(age) ? age : undefined,
    state: (QUEUE_STATES as readonly string[]).includes(state ?? '')
      ? (state as QueueState)
      : undefined,
  };
}

export function whyOf(request: DeferralRequest): QueueWhy {
  return policyOutcomeOf(request) === 'manual_review' ? 'policy' : 'resident';
}

/** Whole days the case has waited for a person. */
export function daysWaited(request: DeferralRequest, now: Date): number {
  const since = request.sentToOfficerAt ?? request.createdAt;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000));
}

export function matchesFilter(
  request: DeferralRequest,
  filter: QueueFilter,
  actor: string,
  now: Date,
): boolean {
  if (filter.municipalityId && request.municipalityId !== filter.municipalityId) return false;
  if (filter.why && whyOf(request) !== filter.why) return false;
  if (filter.reason && !request.reasons.some((r) => r.code === filter.reason)) return false;
  if (filter.invoiceType && request.facts.invoiceType !== filter.invoiceType) return false;
  if (filter.minDays !== undefined && daysWaited(request, now) < filter.minDays) return false;
  if (filter.state === 'mine') return request.takenBy === actor;
  if (filter.state && request.status !== filter.state) return false;
  return true;
}
