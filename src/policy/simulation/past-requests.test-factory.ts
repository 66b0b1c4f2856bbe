import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { DeferralRequest } from '../../deferrals/deferral-request.entity';
import { buildFacts } from '../engine/build-facts';
import type { CompiledPolicy } from '../engine/compiled-policy';
import type { DeferralFacts } from '../engine/facts';
import { evaluate } from '../engine/policy-evaluator';
import { osloMidnight } from './past-requests.reader';
import { randomFactInput, seededRandom } from '../policy.test-factory';

export interface PastRequestOptions {
  readonly municipalityId: string;
  readonly count: number;
  /** Decides each request as the portal did at the time: its outcome, reasons and trace are stored. */
  readonly policy: CompiledPolicy;
  readonly policyVersionId?: string;
  readonly seed?: number;
  /** Residents the requests are spread over (synthetic 11-digit strings, not real numbers). */
  readonly residents?: number;
  /** Facts per request; by default realistic random ones (randomFactInput). */
  readonly facts?: (i: number, next: () => number) => DeferralFacts;
}

/**
 * Past deferral requests as the deferrals feature stores them, decided by a real policy, inserted
 * in bulk: each request's `created_at` is the morning of its facts' `today` (Oslo). References are
 * `SIM-<seed>-<n>`, so a test can name them.
 */
export async function insertPastRequests(
  em: EntityManager,
  options: PastRequestOptions,
): Promise<DeferralRequest[]> {
  const seed = options.seed ?? 1;
  const next = seededRandom(seed);
  const residents = options.residents ?? Math.max(1, Math.ceil(options.count / 3));
  const rows: DeferralRequest[] = [];
  for (let i = 0; i < options.count; i++) {
    const facts = options.facts?.(i, next) ?? buildFacts(randomFactInput(next));
    const decision = await evaluate(options.policy, facts);
    rows.push(
      em.create(DeferralRequest, {
        id: randomUUID(),
        municipalityId: options.municipalityId,
        reference: `SIM-${seed}-${String(i).padStart(6, '0')}`,
        pid: String(10_000_000_000 + (i % residents)),
        invoiceId: `inv-${seed}-${i}`,
        invoiceNumber: String(900_000 + i),
        invoiceTitle: 'Vann og avløp',
        amountOre: facts.amountOre,
        originalDueDate: facts.dueDate,
        requestedDueDate: facts.requestedDueDate,
        outcome: decision.outcome,
        policyOutcome: decision.outcome,
        newDueDate: decision.newDueDate,
        reasons: [...decision.reasons],
        notices: [...decision.notices],
        facts,
        trace: [...decision.trace],
        policyVersionId: options.policyVersionId ?? randomUUID(),
        decidedOn: facts.today,
        language: 'nb',
        createdAt: new Date(osloMidnight(facts.today).getTime() + 9 * 3_600_000),
      }),
    );
    if (rows.length % 2_000 === 0) await em.flush();
  }
  await em.flush();
  em.clear();
  return rows;
}
