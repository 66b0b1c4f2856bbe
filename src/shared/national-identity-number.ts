/**
 * Norwegian national identity numbers (fødselsnummer) and D-numbers: 11 digits, DDMMYY + a
 * three-digit individual number + two MOD11 check digits. Pure functions, no I/O, so both the
 * portal and the dev login can use them.
 */

export interface NationalIdentityNumber {
  value: string;
  /** Day of month + 40: a D-number, given to people without a birth number. */
  dNumber: boolean;
  /** Month + 40 (NAV test data, H-numbers) or + 80 (Skatteetaten's and TestID's synthetic numbers). */
  synthetic: boolean;
  /** ISO date (YYYY-MM-DD); the century comes from the individual number. */
  birthDate: string;
}

const FIRST_CHECK_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const SECOND_CHECK_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const MONTH_OFFSETS = [0, 40, 80];

function checkDigit(digits: readonly number[], weights: readonly number[]): number | undefined {
  const sum = weights.reduce((acc, weight, i) => acc + weight * digits[i], 0);
  const digit = (11 - (sum % 11)) % 11;
  // A remainder that would need check digit 10 is never issued.
  return digit === 10 ? undefined : digit;
}

/** Folkeregisteret's individual-number series decide the century. */
function fullYear(twoDigitYear: number, individual: number): number | undefined {
  if (individual <= 499) return 1900 + twoDigitYear;
  if (individual >= 900 && twoDigitYear >= 40) return 1900 + twoDigitYear;
  if (individual >= 500 && twoDigitYear <= 39) return 2000 + twoDigitYear;
  if (individual <= 749 && twoDigitYear >= 54) return 1800 + twoDigitYear;
  return undefined;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** The shape of a fødselsnummer or D-number: eleven digits (checked further by the parser). */
export const IDENTITY_NUMBER_FORMAT = /^\d{11}$/;
const ELEVEN_DIGITS_ANYWHERE = /\d{11}/g;

/** Text with every run of eleven digits masked: for logs, which must never hold an identity number. */
export function redactIdentityNumbers(text: string, mask = '***********'): string {
  return text.replace(ELEVEN_DIGITS_ANYWHERE, mask);
}

/** The parsed number, or `undefined` when it has a wrong length, check digit or date part. */
export function parseNationalIdentityNumber(input: string): NationalIdentityNumber | undefined {
  if (typeof input !== 'string' || !IDENTITY_NUMBER_FORMAT.test(input)) return undefined;
  const digits = [...input].map(Number);
  const first = checkDigit(digits, FIRST_CHECK_WEIGHTS);
  const second = checkDigit(digits, SECOND_CHECK_WEIGHTS);
  if (first !== digits[9] || second !== digits[10]) return undefined;

  const rawDay = Number(input.slice(0, 2));
  const rawMonth = Number(input.slice(2, 4));
  const dNumber = rawDay > 40;
  const day = dNumber ? rawDay - 40 : rawDay;
  const monthOffset = MONTH_OFFSETS.find(
    (offset) => rawMonth - offset >= 1 && rawMonth - offset <= 12,
  );
  if (monthOffset === undefined) return undefined;
  const month = rawMonth - monthOffset;
  const year = fullYear(Number(input.slice(4, 6)), Number(input.slice(6, 9)));
  if (year === undefined || !isRealDate(year, month, day)) return undefined;

  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    value: input,
    dNumber,
    synthetic: monthOffset !== 0,
    birthDate: `${year}-${pad(month)}-${pad(day)}`,
  };
}

export function isValidNationalIdentityNumber(input: string): boolean {
  return parseNationalIdentityNumber(input) !== undefined;
}

/** What the portal may show: the birth-date part only (`128385*****`). */
export function maskNationalId(pid: string): string {
  return IDENTITY_NUMBER_FORMAT.test(pid) ? `${pid.slice(0, 6)}*****` : '*'.repeat(11);
}

const IDENTITY_NUMBER_CANDIDATES = /(?<!\d)(\d{6})[ -]?(\d{5})(?!\d)/g;

/**
 * Whether the text holds a valid identity number (eleven digits, or six and five with a space or
 * dash between, whose check digits and date hold): for refusing one in a text meant for e-mail.
 */
export function containsIdentityNumber(text: string): boolean {
  for (const [, birth, personal] of text.matchAll(IDENTITY_NUMBER_CANDIDATES))
    if (parseNationalIdentityNumber(`${birth}${personal}`)) return true;
  return false;
}
