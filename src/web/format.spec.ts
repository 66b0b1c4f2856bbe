import { formatAccountNumber, formatIsoDate, formatOre } from './format';

const plain = (s: string) => s.replace(/\s/g, ' ');

describe('formatOre', () => {
  it('shows øre as kroner with a Norwegian decimal comma when the language is bokmål', () => {
    expect(plain(formatOre(123450, 'nb'))).toBe('1 234,50 kr');
    expect(plain(formatOre(5, 'nn'))).toBe('0,05 kr');
  });

  it('never produces a binary rounding error when the amount has øre that floats cannot hold exactly', () => {
    expect(plain(formatOre(1327575, 'nb'))).toBe('13 275,75 kr');
    expect(plain(formatOre(30, 'nb'))).toBe('0,30 kr');
  });

  it('refuses an amount that is not whole øre', () => {
    expect(() => formatOre(12.5, 'nb')).toThrow('whole øre');
  });

  it('uses the currency code in English', () => {
    expect(plain(formatOre(123450, 'en'))).toBe('NOK 1,234.50');
  });
});

describe('formatIsoDate', () => {
  it('writes dates the way each language does', () => {
    expect(formatIsoDate('2026-12-15', 'nb')).toBe('15. desember 2026');
    expect(formatIsoDate('2026-12-15', 'en')).toBe('15 December 2026');
  });
});

describe('formatAccountNumber', () => {
  it('groups an account number in 4.2.5 digits', () => {
    expect(formatAccountNumber('12345678903')).toBe('1234.56.78903');
  });
});
