import { ConfigError } from '../config/config.error';
import type { TenancyService } from '../tenancy';
import { RetentionSettingsCheck } from './retention-settings.check';

describe(RetentionSettingsCheck.name, () => {
  const check = (settings: Record<string, unknown>[]) =>
    new RetentionSettingsCheck({
      all: async () => settings.map((s, i) => ({ id: `m${i}`, slug: `kommune${i}`, settings: s })),
    } as unknown as TenancyService).onApplicationBootstrap();

  it('lets the portal start when every period is usable or not set', async () => {
    await expect(check([{}, { retention: { years: 10 } }])).resolves.toBeUndefined();
  });

  it('refuses to start, naming the first municipality and setting and how many more', async () => {
    const attempt = check([
      { retention: { years: 10 } },
      { retention: { years: 0 } },
      { retention: { years: 'ti' } },
    ]);
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'Municipality kommune1: settings.retention.years: must be a whole number of years from 1 to 100 (and 1 more)',
    );
  });
});
