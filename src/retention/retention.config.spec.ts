import { ConfigError } from '../config/config.error';
import { parseRetentionConfig } from './retention.config';

describe(parseRetentionConfig.name, () => {
  it('keeps personal data five years, in batches of 500, once a day, by default', () => {
    expect(parseRetentionConfig({})).toEqual({
      years: 5,
      intervalMs: 86_400_000,
      firstRunMs: 600_000,
      batchSize: 500,
    });
    expect(parseRetentionConfig({ RETENTION_YEARS: '' }).years).toBe(5);
  });

  it('reads RETENTION_YEARS when given a whole number of years', () => {
    expect(parseRetentionConfig({ RETENTION_YEARS: '1' }).years).toBe(1);
    expect(parseRetentionConfig({ RETENTION_YEARS: '10' }).years).toBe(10);
  });

  it.each(['0', '-5', '2.5', 'fem', '101'])(
    'refuses RETENTION_YEARS=%s in one line naming the setting and the value',
    (value) => {
      const attempt = () => parseRetentionConfig({ RETENTION_YEARS: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        `Invalid configuration: RETENTION_YEARS must be a whole number of years from 1 to 100, got '${value}'`,
      );
    },
  );
});
