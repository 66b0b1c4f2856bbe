/**
 * A year of one municipality's deferral requests as the dashboard reads them, shaped like case
 * work leaves them: most decided by the policy at once, manual reviews decided by officers hours
 * or days later, a few rejections the resident sent on to a person, the cases still open (more of
 * them recent), and a write-back job per approval, a few of which failed. Deterministic.
 */
import type { FactInput } from '../../src/policy/engine/build-facts';
import { buildFacts } from '../../src/policy/engine/build-facts';
import type { PolicyRegistry } from '../../src/policy/engine/policy-registry';
import { addDays, osloDateAt } from '../../src/shared/calendar-date';
import { realisticFactInput } from './facts';
import type { Random } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFICERS = ['staff:demo-officer-siri', 'staff:demo-officer-ikt-dag', 'staff:officer-3'];

export interface OverviewRequestRow {
  id: string;
  reference: string;
  pid: string;
  invoiceId: string;
  invoiceNumber: string;
  amountOre: number;
  originalDueDate: string;
  requestedDueDate: string;
  outcome: string;
  policyOutcome: string;
  newDueDate: string | null;
  /** JSON documents of a real decision, so rows are as wide as the portal's. */
  reasons: unknown;
  notices: unknown;
  facts: unknown;
  trace: unknown;
  language: string;
  status: string;
  officerMessage: string | null;
  sentToOfficerAt: Date | null;
  takenBy: string | null;
  takenAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface OverviewJobRow {
  id: string;
  deferralRequestId: string;
  invoiceId: string;
  pid: string;
  newDueDate: string;
  reason: string;
  idempotencyKey: string;
  status: 'done' | 'failed' | 'resolved_by_hand';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
  failedAt: Date | null;
}

export interface OverviewHistoryCounts {
  requests: number;
  decidedAutomatically: number;
  decidedByOfficer: number;
  open: number;
  jobs: number;
  failedJobs: number;
}

/** A handful of real decisions whose JSON the rows reuse: evaluating 100,000 would only cost time. */
async function decisionSamples(registry: PolicyRegistry, random: Random, today: string) {
  const samples = [];
  for (let i = 0; i < 64; i++) {
    const input: FactInput = realisticFactInput(random, today);
    const facts = buildFacts(input);
    const decision = await registry.evaluate(facts);
    samples.push({
      facts,
      reasons: decision.reasons,
      notices: decision.notices.map((n) => ({ code: n.code, text: { ...n.text } })),
      trace: decision.trace,
    });
  }
  return samples;
}

/** A moment in the last `days` days: weekdays four times as busy as weekends, 07–22 in Oslo. */
function momentWithin(random: Random, now: number, days: number): number {
  for (;;) {
    const day = random.int(0, days - 1);
    const at = now - day * DAY - random.int(0, 16 * HOUR);
    const weekday = new Date(at).getUTCDay();
    if ((weekday === 0 || weekday === 6) && !random.chance(0.25)) continue;
    if (at <= now) return at;
  }
}

/** How long an officer takes: mostly within a working day or two, a tail of weeks. */
function officerDelay(random: Random): number {
  const roll = random.next();
  if (roll < 0.35) return random.int(10 * 60_000, 4 * HOUR);
  if (roll < 0.75) return random.int(4 * HOUR, 2 * DAY);
  if (roll < 0.95) return random.int(2 * DAY, 8 * DAY);
  return random.int(8 * DAY, 30 * DAY);
}

export async function* overviewHistory(
  registry: PolicyRegistry,
  random: Random,
  count: number,
  now: number,
  counts: OverviewHistoryCounts,
): AsyncGenerator<{ request: OverviewRequestRow; job?: OverviewJobRow }> {
  const samples = await decisionSamples(registry, random, osloDateAt(new Date(now)));
  // In the order they were made, as the portal appends them (the table's physical order).
  const moments = Array.from({ length: count }, () => momentWithin(random, now, 364)).sort(
    (a, b) => a - b,
  );
  for (let i = 0; i < count; i++) {
    const createdAt = moments[i];
    const sample = samples[i % samples.length];
    const roll = random.next();
    const policyOutcome = roll < 0.7 ? 'approved' : roll < 0.82 ? 'rejected' : 'manual_review';
    const due = osloDateAt(new Date(createdAt + random.int(2, 25) * DAY));
    const requested = addDays(due, random.int(7, 45));
    const id = random.uuid();
    const request: OverviewRequestRow = {
      id,
      reference: `OVR-${String(i).padStart(7, '0')}`,
      pid: String(10_000_000_000 + random.int(0, 29_999)),
      invoiceId: `ovr-${i}`,
      invoiceNumber: String(5_000_000 + i),
      amountOre: random.int(20_000, 2_500_000),
      originalDueDate: due,
      requestedDueDate: requested,
      outcome: policyOutcome,
      policyOutcome,
      newDueDate: policyOutcome === 'approved' ? requested : null,
      reasons: sample.reasons,
      notices: sample.notices,
      facts: sample.facts,
      trace: sample.trace,
      language: random.pick(['nb', 'nb', 'nb', 'nb', 'nb', 'nn', 'en']),
      status: 'decided',
      officerMessage: null,
      sentToOfficerAt: null,
      takenBy: null,
      takenAt: null,
      decidedBy: null,
      decidedAt: null,
      createdAt: new Date(createdAt),
    };
    // A manual review comes to a person at once; one rejection in twelve the resident sends on.
    const toPerson =
      policyOutcome === 'manual_review' || (policyOutcome === 'rejected' && random.chance(1 / 12));
    if (toPerson) {
      const sent = policyOutcome === 'manual_review' ? createdAt : createdAt + officerDelay(random);
      request.sentToOfficerAt = new Date(Math.min(sent, now));
      if (policyOutcome === 'rejected')
        request.officerMessage = 'Jeg ber om at en saksbehandler ser på saken.';
      const decidedAt = request.sentToOfficerAt.getTime() + officerDelay(random);
      if (decidedAt < now) {
        const officer = random.pick(OFFICERS);
        request.status = 'decided';
        request.outcome = random.chance(0.75) ? 'approved' : 'rejected';
        request.newDueDate = request.outcome === 'approved' ? requested : null;
        request.decidedBy = officer;
        request.decidedAt = new Date(decidedAt);
        counts.decidedByOfficer++;
      } else {
        const state = random.next();
        request.status =
          state < 0.5 ? 'awaiting_officer' : state < 0.85 ? 'taken' : 'awaiting_resident';
        if (request.status !== 'awaiting_officer') {
          request.takenBy = random.pick(OFFICERS);
          request.takenAt = new Date(Math.min(now, request.sentToOfficerAt.getTime() + HOUR));
        }
        counts.open++;
      }
    } else counts.decidedAutomatically++;
    counts.requests++;

    let job: OverviewJobRow | undefined;
    if (request.outcome === 'approved' && request.newDueDate) {
      const at = (request.decidedAt ?? request.createdAt).getTime();
      const fate = random.next();
      const status = fate < 0.985 ? 'done' : fate < 0.995 ? 'failed' : 'resolved_by_hand';
      const failedAt =
        status === 'done' ? null : new Date(Math.min(now, at + random.int(60_000, 6 * HOUR)));
      job = {
        id: random.uuid(),
        deferralRequestId: id,
        invoiceId: request.invoiceId,
        pid: request.pid,
        newDueDate: request.newDueDate,
        reason: `Betalingsutsettelse ${request.reference}`,
        idempotencyKey: `deferral-${id}`,
        status,
        attempts: status === 'done' ? 1 : 8,
        lastError: status === 'done' ? null : 'unavailable:timeout',
        createdAt: new Date(at),
        completedAt:
          status === 'failed' ? null : new Date(Math.min(now, at + random.int(400, 3000))),
        failedAt,
      };
      counts.jobs++;
      if (status !== 'done') counts.failedJobs++;
    }
    yield { request, job };
  }
}
