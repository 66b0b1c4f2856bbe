import {
  ownRetentionYears,
  retentionSettingsProblem,
  retentionYearsFromForm,
  retentionYearsOf,
  withRetentionYears,
} from './retention-settings';

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

describe(retentionYearsFromForm.name, () => {
  it("reads a whole number of years from 1 to 100, and an empty field as the installation's", () => {
    expect(retentionYearsFromForm('')).toEqual({ ok: true, years: undefined });
    expect(retentionYearsFromForm('   ')).toEqual({ ok: true, years: undefined });
    expect(retentionYearsFromForm('1')).toEqual({ ok: true, years: 1 });
    expect(retentionYearsFromForm(' 10 ')).toEqual({ ok: true, years: 10 });
    expect(retentionYearsFromForm('100')).toEqual({ ok: true, years: 100 });
  });

  it.each(['0', '101', '2.5', '2,5', '-3', 'ti', '1e1', '0x10', '5 år', '1000'])(
    'refuses %j',
    (text) => expect(retentionYearsFromForm(text)).toEqual({ ok: false }),
  );
});

describe(withRetentionYears.name, () => {
  it("sets the period, or removes the setting for the installation's, keeping the rest", () => {
    const settings = { financeAdapter: 'embedded' as const, retention: { years: 7 } };
    expect(withRetentionYears(settings, 10)).toEqual({
      financeAdapter: 'embedded',
      retention: { years: 10 },
    });
    expect(withRetentionYears(settings, undefined)).toEqual({ financeAdapter: 'embedded' });
    expect(settings.retention).toEqual({ years: 7 });
  });

  it('replaces a malformed setting whole', () => {
    expect(withRetentionYears({ retention: { years: '3', extra: 1 } }, 4)).toEqual({
      retention: { years: 4 },
    });
  });
});

describe(ownRetentionYears.name, () => {
  it("is the municipality's own usable period, else undefined", () => {
    expect(ownRetentionYears({ retention: { years: 8 } })).toBe(8);
    expect(ownRetentionYears({})).toBeUndefined();
    expect(ownRetentionYears({ retention: { years: 0 } })).toBeUndefined();
  });
});
