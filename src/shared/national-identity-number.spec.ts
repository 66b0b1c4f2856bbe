import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import {
  containsIdentityNumber,
  isValidNationalIdentityNumber,
  maskNationalId,
  parseNationalIdentityNumber,
} from './national-identity-number';

/** Every single-digit change of a valid number, which MOD11 must catch. */
function oneDigitChanges(pid: string): string[] {
  return [...pid].flatMap((digit, i) =>
    Array.from({ length: 10 }, (_, d) => String(d))
      .filter((d) => d !== digit)
      .map((d) => pid.slice(0, i) + d + pid.slice(i + 1)),
  );
}

describe('parseNationalIdentityNumber', () => {
  it.each(DEMO_RESIDENTS.map((r) => [r.name, r.pid]))(
    'accepts the demo resident %s (%s)',
    (_, pid) => {
      expect(parseNationalIdentityNumber(pid)).toMatchObject({
        value: pid,
        synthetic: true,
        dNumber: false,
      });
    },
  );

  it.each(DEMO_RESIDENTS.map((r) => r.pid))('rejects every one-digit change of %s', (pid) => {
    for (const changed of oneDigitChanges(pid)) {
      expect(isValidNationalIdentityNumber(changed)).toBe(false);
    }
  });

  it('reads the birth date, century from the individual number, of an ordinary birth number', () => {
    expect(parseNationalIdentityNumber('01019010046')).toEqual({
      value: '01019010046',
      dNumber: false,
      synthetic: false,
      birthDate: '1990-01-01',
    });
    expect(parseNationalIdentityNumber('15075550046')?.birthDate).toBe('1855-07-15');
    expect(parseNationalIdentityNumber('15073950063')?.birthDate).toBe('2039-07-15');
  });

  it('accepts a D-number (day + 40)', () => {
    expect(parseNationalIdentityNumber('41019010110')).toMatchObject({
      dNumber: true,
      birthDate: '1990-01-01',
    });
  });

  it('accepts synthetic test numbers with month + 80 and month + 40', () => {
    expect(parseNationalIdentityNumber('01819010001')).toMatchObject({
      synthetic: true,
      birthDate: '1990-01-01',
    });
    expect(parseNationalIdentityNumber('01419010029')).toMatchObject({
      synthetic: true,
      birthDate: '1990-01-01',
    });
    expect(parseNationalIdentityNumber('12838512311')?.birthDate).toBe('1985-03-12');
  });

  it('checks the date part, leap years included, when the check digits are right', () => {
    expect(parseNationalIdentityNumber('29020050088')?.birthDate).toBe('2000-02-29');
    expect(isValidNationalIdentityNumber('29020000064')).toBe(false); // 1900 was no leap year
    expect(isValidNationalIdentityNumber('31048510186')).toBe(false); // 31 April
  });

  it.each([
    '',
    '1283851231',
    '128385123111',
    '1283851231a',
    ' 12838512311',
    '00000000000',
    '12345678901',
  ])('rejects %p', (input) => {
    expect(isValidNationalIdentityNumber(input)).toBe(false);
  });

  it('rejects a value that is not a string', () => {
    expect(isValidNationalIdentityNumber(12838512311 as unknown as string)).toBe(false);
  });
});

describe('maskNationalId', () => {
  it('keeps the first six digits only', () => {
    expect(maskNationalId('12838512311')).toBe('128385*****');
  });

  it('masks everything when the value is not an 11-digit number', () => {
    expect(maskNationalId('1283851231')).toBe('***********');
    expect(maskNationalId('')).toBe('***********');
  });
});

describe('containsIdentityNumber', () => {
  it('finds a valid number written plainly, or as six and five digits', () => {
    expect(containsIdentityNumber('Innbygger 12838512311 ringte')).toBe(true);
    expect(containsIdentityNumber('fnr. 128385 12311.')).toBe(true);
    expect(containsIdentityNumber('fnr. 128385-12311')).toBe(true);
  });
  it('leaves account numbers, KIDs, dates and invalid numbers alone', () => {
    expect(containsIdentityNumber('Betal til 1503.12.34567 med KID 12345678903')).toBe(false);
    expect(containsIdentityNumber('12838512312')).toBe(false);
    expect(containsIdentityNumber('Forfall 2027-01-31, sak UTS-7K3M-Q9TX')).toBe(false);
    expect(containsIdentityNumber('112838512311')).toBe(false);
  });
});
