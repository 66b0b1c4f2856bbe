import { backoffDelayMs } from './backoff';

const POLICY = { baseMs: 1_000, capMs: 300_000 };

describe(backoffDelayMs, () => {
  it('draws from 0 up to base·2^(attempt−1) when jitter is at its extremes', () => {
    expect(backoffDelayMs(1, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(1, POLICY, () => 0.999_999)).toBe(999);
    expect(backoffDelayMs(3, POLICY, () => 0.999_999)).toBe(3_999);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(2_000);
  });

  it('never exceeds the cap, however many attempts came before', () => {
    expect(backoffDelayMs(9, POLICY, () => 0.999_999)).toBe(255_999);
    expect(backoffDelayMs(10, POLICY, () => 0.999_999)).toBe(299_999);
    expect(backoffDelayMs(1_000, POLICY, () => 0.999_999)).toBe(299_999);
  });

  it('spreads delays over the whole window when random is real', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(4, POLICY));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(8_000);
    expect(delays.filter((d) => d < 4_000).length).toBeGreaterThan(800);
    expect(delays.filter((d) => d >= 4_000).length).toBeGreaterThan(800);
  });

  it('honours a wait the finance system asked for, within the cap', () => {
    expect(backoffDelayMs(1, POLICY, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelayMs(1, POLICY, () => 0, 3_600_000)).toBe(300_000);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelayMs(0, POLICY, () => 0.999_999)).toBe(999);
  });
});
