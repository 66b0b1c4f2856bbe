import {
  accountNumberGroups,
  formatAccountNumber,
  formatIsoDate,
  formatNumber,
  formatOre,
  formatPercent,
  kidGroups,
} from './format';

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

  it('names the weekday first when asked, as a list of dates to choose from does', () => {
    expect(formatIsoDate('2027-01-15', 'nb', { weekday: true })).toBe('fredag 15. januar 2027');
    expect(formatIsoDate('2027-01-15', 'nn', { weekday: true })).toBe('fredag 15. januar 2027');
    expect(formatIsoDate('2027-01-15', 'en', { weekday: true })).toBe('Friday, 15 January 2027');
    expect(formatIsoDate('2027-01-15', 'nb')).toBe('15. januar 2027');
  });
});

describe('formatAccountNumber', () => {
  it('groups an account number in 4.2.5 digits', () => {
    expect(formatAccountNumber('12345678903')).toBe('1234.56.78903');
  });
});

describe('formatNumber', () => {
  it('writes a quantity with the language’s decimal sign: 38,5 in bokmål and nynorsk, 38.5 in English', () => {
    expect(formatNumber(38.5, 'nb')).toBe('38,5');
    expect(formatNumber(38.5, 'nn')).toBe('38,5');
    expect(formatNumber(38.5, 'en')).toBe('38.5');
  });

  it('groups thousands and keeps up to three decimals, no more', () => {
    expect(plain(formatNumber(1234.125, 'nb'))).toBe('1 234,125');
    expect(formatNumber(1234.125, 'en')).toBe('1,234.125');
    expect(formatNumber(2, 'nb')).toBe('2');
  });
});

describe('formatPercent', () => {
  it('writes a VAT rate as each language does', () => {
    expect(plain(formatPercent(25, 'nb'))).toBe('25 %');
    expect(formatPercent(25, 'en')).toBe('25%');
  });
});

describe('kidGroups', () => {
  it('splits a KID into groups of four from the left, the last one shorter', () => {
    expect(kidGroups('123456789012345678')).toEqual(['1234', '5678', '9012', '3456', '78']);
    expect(kidGroups('12345678')).toEqual(['1234', '5678']);
  });

  it('keeps a MOD11 check digit "-" in the last group, and a short KID whole', () => {
    expect(kidGroups('1234567-')).toEqual(['1234', '567-']);
    expect(kidGroups('123')).toEqual(['123']);
  });
});

describe('accountNumberGroups', () => {
  it('groups an account number 4, 2 and 5 digits, as Norwegian banks print it', () => {
    expect(accountNumberGroups('12345678903')).toEqual(['1234', '56', '78903']);
  });

  it('leaves anything that is not 11 digits as it is', () => {
    expect(accountNumberGroups('1234')).toEqual(['1234']);
  });
});
