import { parseDigitalPostConfig } from './digital-post.config';

describe('parseDigitalPostConfig', () => {
  it('has defaults for the outbox and the time-out', () => {
    expect(parseDigitalPostConfig({})).toEqual({
      timeoutMs: 30_000,
      outbox: { pollMs: 5_000, backoffBaseMs: 30_000, backoffCapMs: 3_600_000, maxAttempts: 12 },
    });
  });

  it('reads the LETTERS_* variables, blank as unset', () => {
    const config = parseDigitalPostConfig({
      LETTERS_TIMEOUT_MS: '2000',
      LETTERS_POLL_MS: '',
      LETTERS_MAX_ATTEMPTS: '3',
    });
    expect(config).toMatchObject({ timeoutMs: 2_000, outbox: { pollMs: 5_000, maxAttempts: 3 } });
  });

  it('refuses a value out of range, naming the variable', () => {
    expect(() => parseDigitalPostConfig({ LETTERS_TIMEOUT_MS: '5' })).toThrow(
      /^Invalid configuration: LETTERS_TIMEOUT_MS .*got '5'$/,
    );
  });
});
