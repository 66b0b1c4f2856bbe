import { sha256Hex } from './audit-hash';
import { newAuditSalt, saltedSha256 } from './salted-hash';

describe('salted-hash', () => {
  describe(newAuditSalt.name, () => {
    it('makes 64 hex digits, different each time, also across the draws of random bytes behind them', () => {
      const salts = new Set(Array.from({ length: 1000 }, newAuditSalt));
      expect(salts.size).toBe(1000);
      for (const salt of salts) expect(salt).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe(saltedSha256.name, () => {
    const salt = 'ab'.repeat(32);

    it('hashes the salt, a line feed and the text', () => {
      expect(saltedSha256(salt, 'Lønna kommer den 20.')).toBe(
        sha256Hex(`${salt}\nLønna kommer den 20.`),
      );
      // A known value, so the format cannot drift without this test noticing.
      expect(saltedSha256('0'.repeat(64), 'ja')).toBe(
        '1ec1d8608b3be21bbc7723e3126fa76473fc1b846070e8108f47a9f7a984f4e3',
      );
    });

    it('gives a different hash for the same text under another salt, so a guess cannot be checked without it', () => {
      const text = '01017012345';
      expect(saltedSha256(salt, text)).not.toBe(saltedSha256(newAuditSalt(), text));
      expect(saltedSha256(salt, text)).not.toBe(sha256Hex(text));
    });

    it('is the same for the same salt and text, so an auditor can recompute it from the rows', () => {
      expect(saltedSha256(salt, 'Nei.')).toBe(saltedSha256(salt, 'Nei.'));
      expect(saltedSha256(salt, 'Nei.')).not.toBe(saltedSha256(salt, 'Nei'));
    });

    it('refuses a salt that is not 64 hex digits when given an empty or short one', () => {
      expect(() => saltedSha256('', 'x')).toThrow(TypeError);
      expect(() => saltedSha256('abc', 'x')).toThrow(TypeError);
      expect(() => saltedSha256('AB'.repeat(32), 'x')).toThrow(TypeError);
    });
  });
});
