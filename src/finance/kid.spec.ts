import {
  formatAccountNumber,
  generateKid,
  isValidAccountNumber,
  isValidKid,
  mod10CheckDigit,
  mod11CheckDigit,
  normalizeAccountNumber,
} from './kid';

describe('kid', () => {
  describe(mod10CheckDigit, () => {
    it('matches the classic Luhn examples', () => {
      expect(mod10CheckDigit('7992739871')).toBe('3'); // 79927398713
      expect(mod10CheckDigit('123456789')).toBe('7');
      expect(mod10CheckDigit('0')).toBe('0');
    });

    it('keeps leading zeros significant', () => {
      expect(mod10CheckDigit('00123')).toBe(mod10CheckDigit('123'));
      expect(generateKid('00123', 'MOD10')).toBe('001230');
    });

    it('refuses anything but digits', () => {
      expect(() => mod10CheckDigit('12a4')).toThrow(TypeError);
      expect(() => mod10CheckDigit('')).toThrow(TypeError);
    });
  });

  describe(mod11CheckDigit, () => {
    it('weights 2..7 from the right', () => {
      // 0·2+9·3+8·4+7·5+6·6+5·7+4·2+3·3+2·4+1·5 = 195; 195 mod 11 = 8; 11 − 8 = 3
      expect(mod11CheckDigit('1234567890')).toBe('3');
    });

    it("gives '0' for remainder 0 and '-' for a check value of 10", () => {
      expect(mod11CheckDigit('0000')).toBe('0');
      expect(mod11CheckDigit('1009')).toBe('-'); // 9·2+0+0+1·5 = 23; 23 mod 11 = 1; 11 − 1 = 10
    });
  });

  describe(isValidKid, () => {
    it('accepts known-valid KIDs of either algorithm', () => {
      expect(isValidKid('79927398713', 'MOD10')).toBe(true);
      expect(isValidKid('12345678903', 'MOD11')).toBe(true);
      expect(isValidKid('1009-', 'MOD11')).toBe(true);
      expect(isValidKid('1009-')).toBe(true);
    });

    it('rejects a wrong check digit, a MOD10 dash, bad characters and lengths', () => {
      expect(isValidKid('79927398710')).toBe(false);
      expect(isValidKid('1009-', 'MOD10')).toBe(false);
      expect(isValidKid('12-45')).toBe(false);
      expect(isValidKid('1')).toBe(false);
      expect(isValidKid('1'.repeat(26))).toBe(false);
    });

    it('accepts every KID generateKid produces', () => {
      for (let base = 1; base < 2000; base += 7) {
        expect(isValidKid(generateKid(String(base), 'MOD10'), 'MOD10')).toBe(true);
        expect(isValidKid(generateKid(String(base), 'MOD11'), 'MOD11')).toBe(true);
      }
    });

    it('catches every single-digit typo in a MOD11 KID', () => {
      const kid = generateKid('20260001234', 'MOD11');
      for (let i = 0; i < kid.length - 1; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === kid[i]) continue;
          expect(isValidKid(kid.slice(0, i) + String(d) + kid.slice(i + 1), 'MOD11')).toBe(false);
        }
      }
    });
  });

  describe(isValidAccountNumber, () => {
    it('accepts known-valid account numbers, with or without separators', () => {
      expect(isValidAccountNumber('12345678903')).toBe(true);
      expect(isValidAccountNumber('1234.56.78903')).toBe(true);
      expect(isValidAccountNumber('8601 11 17947')).toBe(true);
    });

    it('rejects a wrong check digit, a check value of 10 and wrong lengths', () => {
      expect(isValidAccountNumber('12345678900')).toBe(false);
      expect(isValidAccountNumber('00000010090')).toBe(false); // 1009 → check value 10: never issued
      expect(isValidAccountNumber('1234567890')).toBe(false);
      expect(isValidAccountNumber('521000539187')).toBe(false);
    });
  });

  describe(formatAccountNumber, () => {
    it('formats as 4.2.5 digits', () => {
      expect(formatAccountNumber('12345678903')).toBe('1234.56.78903');
      expect(formatAccountNumber('8601 11 17947')).toBe('8601.11.17947');
    });

    it('refuses an invalid number rather than formatting it', () => {
      expect(() => formatAccountNumber('12345678900')).toThrow(TypeError);
      expect(normalizeAccountNumber('1234.56.789')).toBeUndefined();
    });
  });
});
