import { keyForRetry } from './writeback-follow-up';

const job = (lastError: string | null) => ({
  lastError,
  idempotencyKey: 'deferral-3f1c',
  deferralRequestId: '3f1c',
  attempts: 4,
});

describe(keyForRetry, () => {
  it('gives a refused job a key of its own, so the finance system does not replay its refusal', () => {
    expect(keyForRetry(job('rejected:INVOICE_PAID'))).toBe('deferral-3f1c-retry-4');
    expect(keyForRetry(job('not-found:invoice'))).toBe('deferral-3f1c-retry-4');
  });
  it('keeps the key when the change may have landed unseen, so it is replayed, never applied twice', () => {
    expect(keyForRetry(job('unavailable:timeout'))).toBe('deferral-3f1c');
    expect(keyForRetry(job('unexpected:RangeError'))).toBe('deferral-3f1c');
    expect(keyForRetry(job(null))).toBe('deferral-3f1c');
  });
});
