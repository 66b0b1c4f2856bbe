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
