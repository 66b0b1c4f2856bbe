import type { DeferralWindow } from '../policy/engine/deferral-window';
import { parseDeferralForm } from './deferral-form';

const window = {
  allowed: true,
  earliestNewDueDate: '2026-12-10',
  latestNewDueDate: '2027-01-31',
  closesOn: '2026-12-20',
} as Extract<DeferralWindow, { allowed: true }>;
const parse = (email: string) =>
  parseDeferralForm({ newDueDate: '2026-12-15', email }, '2026-12-05', window);

describe('parseDeferralForm', () => {
  describe('email', () => {
    it.each([
      ['markup posing as a local part', '"><svg/onload=alert(1)>@x.no'],
      ['a display name', 'Kari <kari@example.no>'],
      ['two addresses', 'kari@example.no,ola@example.no'],
      ['a header after a line break', 'kari@example.no\nBcc: all@example.no'],
      ['no top-level domain', 'kari@localhost'],
      ['an IP address as domain', 'kari@[127.0.0.1]'],
    ])('V2.2.1: refuses %s', (_name, email) => {
      expect(parse(email)).toMatchObject({ ok: false, problems: ['emailInvalid'] });
    });

    it.each([
      ['a plain address', 'kari.nordmann@example.no'],
      ['an international domain name', 'kari@ås.kommune.no'],
      ['a plus tag', 'kari+faktura@example.no'],
    ])('accepts %s', (_name, email) => {
      expect(parse(email)).toEqual({ ok: true, form: { newDueDate: '2026-12-15', email } });
    });

    it.each([
      ['a list (the field sent twice)', ['kari@example.no', 'ola@example.no']],
      ['a number', 42],
      ['an object', { address: 'kari@example.no' }],
    ])('V2.2.1: refuses an address that is %s rather than dropping it', (_name, email) => {
      const parsed = parseDeferralForm({ newDueDate: '2026-12-15', email }, '2026-12-05', window);
      expect(parsed).toMatchObject({ ok: false, problems: ['emailInvalid'] });
    });

    it('takes no address at all as none', () => {
      expect(parse('  ')).toEqual({ ok: true, form: { newDueDate: '2026-12-15', email: null } });
    });
  });
});

describe('parseDeferralForm dates', () => {
  const date = (newDueDate: string) =>
    parseDeferralForm({ newDueDate, email: '' }, '2026-12-05', window);

  it.each([
    ['a Saturday', '2026-12-12'],
    ['a Sunday', '2026-12-13'],
    ['Christmas Eve', '2026-12-24'],
    ['Boxing Day, typed by hand', '26.12.2026'],
    ["New Year's Day", '2027-01-01'],
  ])('refuses %s, which is no banking day, as a problem of the date', (_name, newDueDate) => {
    expect(date(newDueDate)).toMatchObject({ ok: false, problems: ['dateNotBankingDay'] });
  });

  it('accepts a banking day inside the window', () => {
    expect(date('2026-12-14')).toEqual({
      ok: true,
      form: { newDueDate: '2026-12-14', email: null },
    });
  });

  it('says a date outside the window is outside it, whatever day it is', () => {
    expect(date('2027-02-06')).toMatchObject({ ok: false, problems: ['dateOutsideWindow'] });
  });
});
