import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from '../src/config/paths';
import { alreadyDeferred, factInput, POLICY_STATUS } from '../src/deferrals/deferral-facts';
import { summarizePaymentEvents } from '../src/finance/payment-history.model';
import { addDays, todayInNorway, type IsoDate } from '../src/shared/calendar-date';
import { isValidNationalIdentityNumber } from '../src/shared/national-identity-number';
import { buildFacts } from '../src/policy/engine/build-facts';
import { CompiledPolicy } from '../src/policy/engine/compiled-policy';
import { allowedDeferralWindow } from '../src/policy/engine/deferral-window';
import { evaluate } from '../src/policy/engine/policy-evaluator';
import { loadPolicy } from '../src/policy/loading/policy-loader';
import { DEMO_MUNICIPALITIES } from '../src/tenancy/demo-seed';
import {
  DEMO_EXAMPLE_PID,
  DEMO_OUTCOMES,
  DEMO_RESIDENTS,
  type DemoOutcome,
} from './demo-residents';
import { generateDemoInvoices, type DemoLedgerEntry } from './finance-server/demo-invoices';

/** Each demo municipality's policy as `npm start` seeds it: its own file in rules/, or the default. */
function seedPolicyOf(slug: string): CompiledPolicy {
  const settings = DEMO_MUNICIPALITIES.find((m) => m.slug === slug)!.settings as {
    policyFile?: string;
  };
  const loaded = loadPolicy(
    readFileSync(join(RULES_DIR, settings.policyFile ?? 'default.policy.json'), 'utf8'),
  );
  if (!loaded.ok) throw new Error(`${slug}'s policy does not load`);
  return new CompiledPolicy(loaded.policy, loaded.hash);
}

/**
 * What a resident meets asking for more time on each unpaid invoice, as the portal decides it: the
 * form's refusal up front, or the policy's decision on the earliest date the form offers.
 */
async function outcomesOf(entry: DemoLedgerEntry, today: IsoDate): Promise<DemoOutcome[]> {
  const compiled = seedPolicyOf(entry.municipality);
  const history = summarizePaymentEvents(entry.paymentEvents);
  const outcomes: DemoOutcome[] = [];
  for (const invoice of entry.invoices.filter((i) => i.status !== 'PAID')) {
    const window = allowedDeferralWindow(compiled.policy, {
      today,
      dueDate: invoice.dueDate,
      invoiceStatus: POLICY_STATUS[invoice.status],
      inCollection: invoice.sentToExternal,
      alreadyDeferred: alreadyDeferred(invoice),
    });
    if (!window.allowed) {
      outcomes.push('refused');
      continue;
    }
    const facts = buildFacts(
      factInput({
        today,
        requestedDueDate: window.earliestNewDueDate,
        invoice,
        allInvoices: entry.invoices,
        history,
        ourApprovals: [],
      }),
    );
    outcomes.push((await evaluate(compiled, facts)).outcome);
  }
  return [...new Set(outcomes)].sort();
}

// The story is told relative to the day `npm start` runs: hold it on several days of the year.
const TODAY = todayInNorway();
const DAYS = [TODAY, addDays(TODAY, 47), addDays(TODAY, 131), addDays(TODAY, 250)];

describe('the demo residents (npm start)', () => {
  it.each(DAYS)('show what their story promises, asked on %s', async (today) => {
    const ledger = generateDemoInvoices({ today });
    for (const resident of DEMO_RESIDENTS) {
      const entry = ledger.find((e) => e.pid === resident.pid)!;
      expect({ name: resident.name, outcomes: await outcomesOf(entry, today) }).toEqual({
        name: resident.name,
        outcomes: [...resident.shows].sort(),
      });
    }
  });

  it('reach every outcome by name: approved, rejected by the policy, manual review, refused up front', () => {
    const shown = new Set(DEMO_RESIDENTS.flatMap((r) => r.shows));
    expect([...shown].sort()).toEqual([...DEMO_OUTCOMES].sort());
    // A policy rejection is one the form let through: someone shows it besides a refusal.
    expect(DEMO_RESIDENTS.some((r) => r.shows.includes('rejected'))).toBe(true);
  });

  it('live in a demo municipality, each with someone to log in as', () => {
    for (const municipality of DEMO_MUNICIPALITIES)
      expect(DEMO_RESIDENTS.some((r) => r.municipality === municipality.slug)).toBe(true);
    for (const resident of DEMO_RESIDENTS) {
      expect(DEMO_MUNICIPALITIES.map((m) => m.slug)).toContain(resident.municipality);
      expect(isValidNationalIdentityNumber(resident.pid)).toBe(true);
    }
  });

  it('give a valid example number that belongs to nobody in the demo (an empty list)', () => {
    expect(isValidNationalIdentityNumber(DEMO_EXAMPLE_PID)).toBe(true);
    expect(DEMO_RESIDENTS.map((r) => r.pid)).not.toContain(DEMO_EXAMPLE_PID);
    expect(generateDemoInvoices().map((e) => e.pid)).not.toContain(DEMO_EXAMPLE_PID);
  });
});
