import { caseSettingsOf, caseSettingsProblem } from './case-settings';

describe('caseSettingsOf', () => {
  it('has no hand-over address unless one is set, and the address trimmed when it is', () => {
    expect(caseSettingsOf({}).handoverEmail).toBeNull();
    expect(
      caseSettingsOf({ cases: { handoverEmail: ' okonomi@fjordvik.kommune.no ' } }).handoverEmail,
    ).toBe('okonomi@fjordvik.kommune.no');
  });
});

describe('caseSettingsProblem', () => {
  it.each([
    ['no address at all', 'okonomi'],
    ['a list', 'a@x.no, b@x.no'],
    ['a display name', 'Økonomi <okonomi@x.no>'],
    ['a header in disguise', 'okonomi@x.no\r\nBcc: y@z.no'],
  ])('refuses %s as the hand-over address, naming the setting', (_what, handoverEmail) => {
    expect(caseSettingsProblem('bergvik', { cases: { handoverEmail } })).toBe(
      'Municipality bergvik: settings.cases.handoverEmail: a plain e-mail address (name@domain.no)',
    );
  });

  it('accepts a plain address', () => {
    expect(
      caseSettingsProblem('bergvik', { cases: { handoverEmail: 'okonomi@fjordvik.kommune.no' } }),
    ).toBeUndefined();
  });
});
