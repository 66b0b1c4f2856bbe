import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from '../finance/finance.errors';
import { classifyFailure, failureOutcome } from './writeback-outcome';

const POLICY = { baseMs: 1_000, capMs: 300_000, maxAttempts: 8 };
const NOW = new Date('2026-11-23T10:00:00Z');

describe(classifyFailure, () => {
  it('is final with the reason code when the finance system rejects the change', () => {
    expect(
      classifyFailure(new FinanceRejectedError('INVOICE_PAID', 'Paid by 12838512311')),
    ).toEqual({
      code: 'rejected:INVOICE_PAID',
      retryable: false,
    });
  });

  it('is final when the invoice is not found', () => {
    expect(classifyFailure(new FinanceNotFoundError('invoice'))).toEqual({
      code: 'not-found:invoice',
      retryable: false,
    });
  });

  it('is retryable, keeping the asked-for wait, when the finance system is unavailable', () => {
    expect(classifyFailure(new FinanceUnavailableError('timeout', 'No answer'))).toEqual({
      code: 'unavailable:timeout',
      retryable: true,
      retryAfterMs: undefined,
    });
    expect(classifyFailure(new FinanceUnavailableError('circuit-open', 'paused', 15))).toEqual({
      code: 'unavailable:circuit-open',
      retryable: true,
      retryAfterMs: 15_000,
    });
  });

  it('is final when the adapter refuses a malformed command', () => {
    expect(classifyFailure(new TypeError('pid must be 11 digits'))).toEqual({
      code: 'invalid-command',
      retryable: false,
    });
  });

  it('is retryable under a name-only code when the error is unexpected', () => {
    expect(classifyFailure(new RangeError('boom 12838512311'))).toEqual({
      code: 'unexpected:RangeError',
      retryable: true,
    });
    expect(classifyFailure('a string')).toEqual({ code: 'unexpected:string', retryable: true });
  });

  it('never lets a strange reason code carry anything but a short token', () => {
    const { code } = classifyFailure(new FinanceRejectedError('<b>12838512311 x</b>', 'no'));
    expect(code).toBe('rejected:_b_12838512311_x__b_');
    expect(classifyFailure(new FinanceRejectedError('x'.repeat(500), 'no')).code).toHaveLength(
      'rejected:'.length + 100,
    );
  });
});

describe(failureOutcome, () => {
  it('retries after a jittered backoff when the failure is retryable and attempts remain', () => {
    const outcome = failureOutcome(
      new FinanceUnavailableError('network', 'reset'),
      3,
      POLICY,
      NOW,
      () => 0.5,
    );
    expect(outcome).toEqual({
      kind: 'retry',
      error: 'unavailable:network',
      nextAttemptAt: new Date(NOW.getTime() + 2_000),
    });
  });

  it('waits at least as long as the finance system asked', () => {
    const outcome = failureOutcome(
      new FinanceUnavailableError('rate-limited', '429', 30),
      1,
      POLICY,
      NOW,
      () => 0,
    );
    expect(outcome).toMatchObject({
      kind: 'retry',
      nextAttemptAt: new Date(NOW.getTime() + 30_000),
    });
  });

  it('fails with the last error when the last attempt fails', () => {
    const error = new FinanceUnavailableError('server-error', '500');
    expect(failureOutcome(error, 7, POLICY, NOW)).toMatchObject({ kind: 'retry' });
    expect(failureOutcome(error, 8, POLICY, NOW)).toEqual({
      kind: 'failed',
      error: 'unavailable:server-error',
    });
    expect(failureOutcome(error, 9, POLICY, NOW)).toMatchObject({ kind: 'failed' });
  });

  it('fails at once when the failure is final, whatever attempts remain', () => {
    const rejected = new FinanceRejectedError('INVOICE_IN_DEBT_COLLECTION', 'with Kredinor');
    expect(failureOutcome(rejected, 1, POLICY, NOW)).toEqual({
      kind: 'failed',
      error: 'rejected:INVOICE_IN_DEBT_COLLECTION',
    });
    expect(failureOutcome(new FinanceNotFoundError('invoice'), 1, POLICY, NOW)).toEqual({
      kind: 'failed',
      error: 'not-found:invoice',
    });
  });
});
