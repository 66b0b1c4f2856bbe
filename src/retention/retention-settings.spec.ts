import { retentionSettingsProblem, retentionYearsOf } from './retention-settings';

describe(retentionYearsOf.name, () => {
  it("takes the municipality's own period, and the installation's where it has none", () => {
    expect(retentionYearsOf({ retention: { years: 10 } }, 5)).toBe(10);
    expect(retentionYearsOf({ retention: { years: 1 } }, 5)).toBe(1);
    expect(retentionYearsOf({ retention: {} }, 5)).toBe(5);
    expect(retentionYearsOf({}, 7)).toBe(7);
  });

  it("keeps data the installation's period, not less, while the setting is malformed", () => {
    // The start-up check refuses these; a municipality given one while the portal runs keeps the
    // installation's period rather than losing data early or keeping it for ever.
    expect(retentionYearsOf({ retention: { years: 0 } }, 5)).toBe(5);
    expect(retentionYearsOf({ retention: { years: '3' } }, 5)).toBe(5);
    expect(retentionYearsOf({ retention: 3 }, 5)).toBe(5);
  });
});

describe(retentionSettingsProblem.name, () => {
  it('accepts no setting, or a whole number of years from 1 to 100', () => {
    expect(retentionSettingsProblem('fjordvik', {})).toBeUndefined();
    expect(retentionSettingsProblem('fjordvik', { retention: {} })).toBeUndefined();
    expect(retentionSettingsProblem('fjordvik', { retention: { years: 1 } })).toBeUndefined();
    expect(retentionSettingsProblem('fjordvik', { retention: { years: 100 } })).toBeUndefined();
  });

  it.each([
    [{ years: 0 }, 'settings.retention.years: must be a whole number of years from 1 to 100'],
    [{ years: 2.5 }, 'settings.retention.years: must be a whole number of years from 1 to 100'],
    [{ years: 101 }, 'settings.retention.years: must be a whole number of years from 1 to 100'],
    [{ years: '10' }, 'settings.retention.years: must be a whole number of years from 1 to 100'],
    [{ yeras: 10 }, 'settings.retention: unknown setting "yeras"'],
    ['10', 'settings.retention: must be an object such as {"years": 10}'],
  ])(
    'refuses retention %j in one line naming the municipality and the setting',
    (value, problem) => {
      expect(retentionSettingsProblem('fjordvik', { retention: value })).toBe(
        `Municipality fjordvik: ${problem}`,
      );
    },
  );
});
