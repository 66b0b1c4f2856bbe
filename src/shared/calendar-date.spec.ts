import {
  addDays,
  addMonths,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  osloDateAt,
  toDayNumber,
} from './calendar-date';

describe('calendar-date', () => {
  describe(isIsoDate.name, () => {
    it.each(['2026-01-31', '2024-02-29', '2000-02-29', '0099-12-31'])('accepts %s', (date) => {
      expect(isIsoDate(date)).toBe(true);
    });

    it.each([
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-04-31',
      '2026-1-05',
      '2026-01-05T00:00:00Z',
      '',
      20260105,
    ])('refuses %p', (date) => {
      expect(isIsoDate(date)).toBe(false);
    });

    it('accepts exactly the strings that survive a round trip through a day number', () => {
      // The definition isIsoDate's arithmetic must match: a Date built from the parts gives the string back.
      const roundTrips = (text: string) => {
        const [y, m, d] = text.split('-').map(Number);
        const date = new Date(0);
        date.setUTCFullYear(y, m - 1, d);
        return fromDayNumber(Math.round(date.getTime() / 86_400_000)) === text;
      };
      const pad = (n: number, width: number) => String(n).padStart(width, '0');
      const years = [0, 1, 3, 4, 99, 100, 400, 1600, 1700, 1899, 1900, 1901, 1999, 2000, 2001];
      for (let y = 2023; y <= 2032; y++) years.push(y);
      years.push(2100, 2400, 9996, 9999);
      let checked = 0;
      for (const y of years)
        for (let m = 0; m <= 13; m++)
          for (let d = 0; d <= 32; d++) {
            const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
            expect([text, isIsoDate(text)]).toEqual([text, roundTrips(text)]);
            checked++;
          }
      expect(checked).toBeGreaterThan(10_000);
      for (const odd of ['٢٠٢٦-01-01', '2026-01-01\n', ' 2026-01-01', '+2026-01-01', '2026-1-011'])
        expect([odd, isIsoDate(odd)]).toEqual([odd, false]);
    });
  });

  describe(daysBetween.name, () => {
    it('counts 30 calendar days across the spring-forward night when Oslo loses an hour', () => {
      // Oslo moved from 02:00 to 03:00 on 29 March 2026: that day has 23 hours.
      expect(daysBetween('2026-03-15', '2026-04-14')).toBe(30);
      expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    });

    it('counts whole days across the autumn night when Oslo gains an hour', () => {
      // 25 October 2026 has 25 hours in Oslo.
      expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
      expect(daysBetween('2026-10-10', '2026-11-09')).toBe(30);
    });

    it('is negative when the second date is earlier', () => {
      expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
    });

    it('counts across month ends, leap days and the year end', () => {
      expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29);
      expect(daysBetween('2028-01-31', '2028-03-01')).toBe(30);
      expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    });

    it('throws on something that is not a calendar date', () => {
      expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
    });
  });

  describe(addDays.name, () => {
    it('adds 30 days over a month end and a DST change', () => {
      expect(addDays('2026-03-20', 30)).toBe('2026-04-19');
      expect(addDays('2026-10-20', 30)).toBe('2026-11-19');
    });

    it('steps back over a leap day', () => {
      expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    });

    it('round-trips through day numbers', () => {
      expect(fromDayNumber(toDayNumber('1970-01-01'))).toBe('1970-01-01');
      expect(toDayNumber('1970-01-02')).toBe(1);
    });
  });

  describe('day numbers', () => {
    /** The reckoning they replace: a Date at UTC midnight (which has no daylight saving). */
    const byDate = (dayNumber: number) => {
      const date = new Date(dayNumber * 86_400_000);
      const pad = (n: number, width: number) => String(n).padStart(width, '0');
      return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
    };

    it('agree with a Date over years 0000–9999, both ways: day by day in 1600–2400, every 11th day elsewhere', () => {
      const first = -719_528;
      const last = 2_932_896;
      expect(byDate(first)).toBe('0000-01-01');
      expect(byDate(last)).toBe('9999-12-31');
      let mismatches = 0;
      let checked = 0;
      const busy = [toDayNumber('1600-01-01'), toDayNumber('2400-12-31')];
      for (let day = first; day <= last; day += day >= busy[0] && day <= busy[1] ? 1 : 11) {
        const text = fromDayNumber(day);
        if (text !== byDate(day) || toDayNumber(text) !== day) mismatches++;
        checked++;
      }
      expect(mismatches).toBe(0);
      expect(checked).toBeGreaterThan(500_000);
    });

    it('fall back to a Date outside years 0000–9999 and for a fraction of a day', () => {
      expect(fromDayNumber(-719_529)).toBe(byDate(-719_529));
      expect(fromDayNumber(2_932_897)).toBe('10000-01-01');
      expect(fromDayNumber(1.5)).toBe('1970-01-02');
    });

    it('refuse what is not a date as they did', () => {
      for (const bad of ['2026-02-29', '2026-1-05', '2026-01-05T00:00:00Z', '٢٠٢٦-01-01', 20260105])
        expect(() => toDayNumber(bad as string)).toThrow(RangeError);
    });
  });

  describe(addMonths.name, () => {
    it('keeps the day of the month when it exists', () => {
      expect(addMonths('2026-08-15', -6)).toBe('2026-02-15');
    });

    it('clamps to the last day of a shorter month', () => {
      expect(addMonths('2026-08-31', -6)).toBe('2026-02-28');
      expect(addMonths('2028-08-31', -6)).toBe('2028-02-29');
      expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    });

    it('crosses year boundaries both ways', () => {
      expect(addMonths('2026-03-10', -12)).toBe('2025-03-10');
      expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
      expect(addMonths('2026-02-10', -24)).toBe('2024-02-10');
    });

    it('agrees with a Date stepped by months and clamped, for every day of 1999–2001 and ±25 months', () => {
      const byDate = (date: string, months: number) => {
        const [y, m, d] = date.split('-').map(Number);
        const first = new Date(Date.UTC(y, m - 1 + months, 1));
        const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
        first.setUTCDate(Math.min(d, last.getUTCDate()));
        return first.toISOString().slice(0, 10);
      };
      let mismatches = 0;
      for (let day = toDayNumber('1999-01-01'); day <= toDayNumber('2001-12-31'); day++)
        for (let months = -25; months <= 25; months += 5) {
          const date = fromDayNumber(day);
          if (addMonths(date, months) !== byDate(date, months)) mismatches++;
        }
      expect(mismatches).toBe(0);
    });
  });

  describe(osloDateAt.name, () => {
    it('gives the Oslo date when UTC is still on the day before (winter, UTC+1)', () => {
      expect(osloDateAt(new Date('2026-01-31T23:30:00Z'))).toBe('2026-02-01');
    });

    it('gives the Oslo date when UTC is still on the day before (summer, UTC+2)', () => {
      expect(osloDateAt(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
      expect(osloDateAt(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
    });

    it('follows the clock change nights', () => {
      expect(osloDateAt(new Date('2026-03-29T00:30:00Z'))).toBe('2026-03-29');
      expect(osloDateAt(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
      expect(osloDateAt(new Date('2026-10-25T22:30:00Z'))).toBe('2026-10-25');
    });
  });
});
