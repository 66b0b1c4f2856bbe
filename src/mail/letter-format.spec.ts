import { LetterFormat, localeFor } from './letter-format';

const NBSP = '\u00a0';

describe('localeFor', () => {
  it('uses nn-NO for nynorsk when the runtime ICU knows it', () => {
    expect(Intl.DateTimeFormat.supportedLocalesOf(['nn-NO'])).toEqual(['nn-NO']);
    expect(localeFor('nn')).toBe('nn-NO');
  });

  it('falls back to nb-NO when the runtime ICU lacks a locale', () => {
    expect(localeFor('nn', (locale) => locale !== 'nn-NO')).toBe('nb-NO');
  });

  it('maps nb to nb-NO and en to en-GB', () => {
    expect(localeFor('nb')).toBe('nb-NO');
    expect(localeFor('en')).toBe('en-GB');
  });
});

describe('LetterFormat', () => {
  describe('formatMoney', () => {
    it.each(['nb-NO', 'nn-NO'])('writes kroner with non-breaking spaces in %s', (locale) => {
      const format = new LetterFormat(locale);
      expect(format.formatMoney(123450)).toBe(`1${NBSP}234,50${NBSP}kr`);
      expect(format.formatMoney(5)).toBe(`0,05${NBSP}kr`);
      expect(format.formatMoney(100)).toBe(`1,00${NBSP}kr`);
      expect(format.formatMoney(-123450)).toBe(`\u22121${NBSP}234,50${NBSP}kr`);
    });

    it('writes NOK the English way in en-GB', () => {
      expect(new LetterFormat('en-GB').formatMoney(123450)).toBe(`NOK${NBSP}1,234.50`);
    });

    it('keeps every øre of the largest safe amount', () => {
      expect(
        new LetterFormat('nb-NO').formatMoney(Number.MAX_SAFE_INTEGER).replace(/\u00a0/g, ' '),
      ).toBe('90 071 992 547 409,91 kr');
    });

    it('refuses an amount that is not whole øre', () => {
      expect(() => new LetterFormat('nb-NO').formatMoney(12.5)).toThrow(TypeError);
    });
  });

  describe('formatDate', () => {
    it('writes the day, the month in words and the year', () => {
      expect(new LetterFormat('nb-NO').formatDate('2026-12-15')).toBe('15. desember 2026');
      expect(new LetterFormat('nn-NO').formatDate('2026-12-15')).toBe('15. desember 2026');
      expect(new LetterFormat('en-GB').formatDate('2026-12-15')).toBe('15 December 2026');
    });

    it('does not shift the day whatever the process time zone', () => {
      expect(new LetterFormat('nb-NO').formatDate('2026-01-01')).toBe('1. januar 2026');
      expect(new LetterFormat('nb-NO').formatDate('2026-12-31')).toBe('31. desember 2026');
    });

    it('refuses a date that is not on the calendar', () => {
      expect(() => new LetterFormat('nb-NO').formatDate('2026-02-30')).toThrow(TypeError);
      expect(() => new LetterFormat('nb-NO').formatDate('15.12.2026')).toThrow(TypeError);
    });
  });
});
