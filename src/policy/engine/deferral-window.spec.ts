import { allowedDeferralWindow, type InvoiceForWindow } from './deferral-window';
import { loadPolicy } from '../loading/policy-loader';
import { defaultPolicyJson, defaultPolicyText, setAt } from '../policy.test-factory';
import type { Policy } from '../policy.types';

function policyFrom(text: string): Policy {
  const result = loadPolicy(text);
  if (!result.ok) throw new Error('refused');
  return result.policy;
}

const policy = policyFrom(defaultPolicyText());
const invoice = (overrides: Partial<InvoiceForWindow> = {}): InvoiceForWindow => ({
  today: '2026-03-10',
  dueDate: '2026-03-20',
  invoiceStatus: 'IKKE_BETALT',
  inCollection: false,
  alreadyDeferred: false,
  ...overrides,
});

describe(allowedDeferralWindow.name, () => {
  it('offers the day after the due date up to due date + maxDeferralDays, across the DST change', () => {
    expect(allowedDeferralWindow(policy, invoice())).toEqual({
      allowed: true,
      earliestNewDueDate: '2026-03-21',
      latestNewDueDate: '2026-04-19',
      closesOn: '2026-04-03',
    });
  });

  it('offers dates from tomorrow when asked after the due date', () => {
    expect(allowedDeferralWindow(policy, invoice({ today: '2026-03-25' }))).toMatchObject({
      allowed: true,
      earliestNewDueDate: '2026-03-26',
      latestNewDueDate: '2026-04-19',
    });
  });

  it('stays open on the last day of the window and closes the day after', () => {
    expect(allowedDeferralWindow(policy, invoice({ today: '2026-04-03' })).allowed).toBe(true);
    expect(allowedDeferralWindow(policy, invoice({ today: '2026-04-04' }))).toEqual({
      allowed: false,
      reason: 'too-late',
    });
  });

  it('opens earliestDaysBeforeDue days before the due date and says when', () => {
    expect(allowedDeferralWindow(policy, invoice({ today: '2026-01-18' }))).toEqual({
      allowed: false,
      reason: 'too-early',
      opensOn: '2026-01-19',
    });
    expect(allowedDeferralWindow(policy, invoice({ today: '2026-01-19' })).allowed).toBe(true);
  });

  it.each([
    ['in collection', { inCollection: true }, 'in-collection'],
    ['with a collection status', { invoiceStatus: 'SENDT_INKASSO' as const }, 'in-collection'],
    ['already paid', { invoiceStatus: 'BETALT' as const }, 'invoice-not-open'],
    ['already deferred', { alreadyDeferred: true }, 'already-deferred'],
  ])('refuses an invoice %s', (_name, overrides, reason) => {
    expect(allowedDeferralWindow(policy, invoice(overrides))).toEqual({ allowed: false, reason });
  });

  it('follows the parameters: a longer maximum and a later close', () => {
    const json = defaultPolicyJson();
    setAt(json, '/parameters/maxDeferralDays/value', 60);
    setAt(json, '/parameters/latestDaysAfterDue/value', 30);
    const relaxed = policyFrom(JSON.stringify(json));
    expect(allowedDeferralWindow(relaxed, invoice({ today: '2026-04-10' }))).toEqual({
      allowed: true,
      earliestNewDueDate: '2026-04-11',
      latestNewDueDate: '2026-05-19',
      closesOn: '2026-04-19',
    });
  });
});
