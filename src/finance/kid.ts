/**
 * Check digits of Norwegian payment references, per Bits' (formerly BBS) rules: KID numbers carry a
 * MOD10 (Luhn) or MOD11 check digit chosen by the payee's bank agreement, account numbers a MOD11
 * one. All work on digit strings, never numbers, so leading zeros and 25-digit KIDs survive.
 */

export type KidAlgorithm = 'MOD10' | 'MOD11';

const DIGITS = /^\d+$/;
/** A KID is 2–25 characters; only a MOD11 check digit can be '-'. */
const KID = /^\d{1,24}[\d-]$/;

/** Luhn: weights 2,1,2,1… from the right; two-digit products count as their digit sum. */
export function mod10CheckDigit(digits: string): string {
  assertDigits(digits);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const product = Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Weights 2,3,4,5,6,7,2,3… from the right; remainder 0 gives '0', and a check value of 10 gives '-'. */
export function mod11CheckDigit(digits: string): string {
  assertDigits(digits);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[digits.length - 1 - i]) * (2 + (i % 6));
  }
  const check = 11 - (sum % 11);
  if (check === 11) return '0';
  return check === 10 ? '-' : String(check);
}

/** Appends the check digit to `base`. A MOD11 KID may end in '-', which some banks' forms refuse. */
export function generateKid(base: string, algorithm: KidAlgorithm): string {
  if (base.length < 1 || base.length > 24)
    throw new RangeError('A KID base must have 1 to 24 digits');
  return base + (algorithm === 'MOD10' ? mod10CheckDigit(base) : mod11CheckDigit(base));
}

export function isValidKid(kid: string, algorithm?: KidAlgorithm): boolean {
  if (!KID.test(kid)) return false;
  const base = kid.slice(0, -1);
  const check = kid.slice(-1);
  const mod10 = check !== '-' && mod10CheckDigit(base) === check;
  const mod11 = mod11CheckDigit(base) === check;
  if (algorithm === 'MOD10') return mod10;
  if (algorithm === 'MOD11') return mod11;
  return mod10 || mod11;
}

/**
 * An account number is 11 digits: bank (4), account group (2), account (4), MOD11 check digit.
 * Unlike a KID, a check value of 10 makes the number invalid: banks never issue one.
 */
export function isValidAccountNumber(input: string): boolean {
  const digits = normalizeAccountNumber(input);
  if (digits === undefined) return false;
  const check = mod11CheckDigit(digits.slice(0, 10));
  return check !== '-' && check === digits[10];
}

/** Strips the usual separators (`1234.56.78903`, `1234 56 78903`); undefined unless 11 digits remain. */
export function normalizeAccountNumber(input: string): string | undefined {
  const digits = input.replace(/[\s.]/g, '');
  return /^\d{11}$/.test(digits) ? digits : undefined;
}

/** `12345678903` → `1234.56.78903`. */
export function formatAccountNumber(input: string): string {
  const digits = normalizeAccountNumber(input);
  if (digits === undefined || !isValidAccountNumber(digits)) {
    throw new TypeError('Not a valid Norwegian account number');
  }
  return `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`;
}

function assertDigits(digits: string): void {
  if (!DIGITS.test(digits)) throw new TypeError('Check digits are computed on a string of digits');
}
