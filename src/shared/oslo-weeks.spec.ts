import {
  isoWeekOf,
  lastOsloWeeks,
  osloMidnight,
  osloOffsetAt,
  osloOffsetSpans,
  osloWeekIndex,
  osloWeeksSince,
} from './oslo-weeks';

describe('oslo-weeks', () => {
  describe(isoWeekOf.name, () => {
    it.each([
      ['2026-12-07', 2026, 50],
      ['2026-12-13', 2026, 50],
      ['2026-12-14', 2026, 51],
      // 1 January 2027 is a Friday: it belongs to the last week of 2026 (ISO 8601, Thursday rule).
      ['2027-01-01', 2026, 53],
      ['2027-01-04', 2027, 1],
      // 29 December 2025 is a Monday whose Thursday is 1 January 2026: week 1 of 2026.
      ['2025-12-29', 2026, 1],
      ['2024-12-30', 2025, 1],
      ['2021-01-03', 2020, 53],
    ])('puts %s in %i week %i', (date, year, week) => {
      expect(isoWeekOf(date)).toEqual({ year, week });
    });
  });

  describe(osloMidnight.name, () => {
    it('is 23:00 UTC the day before in winter and 22:00 UTC in summer', () => {
      expect(osloMidnight('2026-12-07').toISOString()).toBe('2026-12-06T23:00:00.000Z');
      expect(osloMidnight('2026-06-01').toISOString()).toBe('2026-05-31T22:00:00.000Z');
    });
  });

  describe(lastOsloWeeks.name, () => {
    it('ends with the week holding now and starts each on Monday 00:00 in Oslo', () => {
      // Wednesday 9 December 2026, 10:00 in Oslo.
      const weeks = lastOsloWeeks(3, new Date('2026-12-09T09:00:00Z'));
      expect(
        weeks.map((w) => [w.monday, w.label, w.start.toISOString(), w.end.toISOString()]),
      ).toEqual([
        ['2026-11-23', '2026-W48', '2026-11-22T23:00:00.000Z', '2026-11-29T23:00:00.000Z'],
        ['2026-11-30', '2026-W49', '2026-11-29T23:00:00.000Z', '2026-12-06T23:00:00.000Z'],
        ['2026-12-07', '2026-W50', '2026-12-06T23:00:00.000Z', '2026-12-13T23:00:00.000Z'],
      ]);
      expect(weeks.map((w) => w.index)).toEqual([0, 1, 2]);
    });

    it('takes Oslo’s date, not UTC’s: Sunday 23:30 UTC is already Monday in Oslo', () => {
      const [week] = lastOsloWeeks(1, new Date('2026-12-06T23:30:00Z'));
      expect(week.monday).toBe('2026-12-07');
    });

    it('gives a week with a clock change its real length (167 and 169 hours)', () => {
      const spring = lastOsloWeeks(1, new Date('2026-03-25T12:00:00Z'))[0];
      expect(spring.monday).toBe('2026-03-23');
      expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(167);
      const autumn = lastOsloWeeks(1, new Date('2026-10-21T12:00:00Z'))[0];
      expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(169);
    });

    it('leaves no gap and no overlap between weeks across a year boundary', () => {
      const weeks = lastOsloWeeks(52, new Date('2027-02-01T12:00:00Z'));
      expect(weeks).toHaveLength(52);
      for (let i = 1; i < weeks.length; i++)
        expect(weeks[i].start.getTime()).toBe(weeks[i - 1].end.getTime());
      expect(weeks.map((w) => w.label)).toContain('2026-W53');
    });

    it('refuses a count that is not a positive whole number', () => {
      expect(() => lastOsloWeeks(0)).toThrow(RangeError);
      expect(() => lastOsloWeeks(2.5)).toThrow(RangeError);
    });
  });

  describe(osloWeeksSince.name, () => {
    it('runs from the week holding `since` to the week holding now', () => {
      const now = new Date('2026-12-09T09:00:00Z');
      const weeks = osloWeeksSince(new Date('2026-11-25T12:00:00Z'), now);
      expect(weeks.map((w) => w.monday)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
      expect(osloWeeksSince(lastOsloWeeks(12, now)[0].start, now)).toEqual(lastOsloWeeks(12, now));
    });

    it('is one week when `since` is after now', () => {
      const now = new Date('2026-12-09T09:00:00Z');
      expect(osloWeeksSince(new Date('2027-01-01T00:00:00Z'), now)).toHaveLength(1);
    });
  });

  describe(osloWeekIndex.name, () => {
    const weeks = lastOsloWeeks(2, new Date('2026-12-09T09:00:00Z'));

    it('finds the week an instant falls in, Monday 00:00 Oslo belonging to the new week', () => {
      expect(osloWeekIndex(weeks, new Date('2026-12-06T22:59:59.999Z'))).toBe(0);
      expect(osloWeekIndex(weeks, new Date('2026-12-06T23:00:00.000Z'))).toBe(1);
    });

    it('is -1 outside the weeks', () => {
      expect(osloWeekIndex(weeks, new Date('2026-11-29T22:59:59.999Z'))).toBe(-1);
      expect(osloWeekIndex(weeks, new Date('2026-12-13T23:00:00.000Z'))).toBe(-1);
    });
  });

  describe(osloOffsetSpans.name, () => {
    it('finds the hours Oslo’s clocks change in a year, and nothing between', () => {
      const spans = osloOffsetSpans(
        new Date('2025-12-07T23:00:00Z'),
        new Date('2026-12-13T23:00:00Z'),
      );
      expect(spans.map((s) => [s.from.toISOString(), s.offsetMs / 3_600_000])).toEqual([
        ['2025-12-07T23:00:00.000Z', 1],
        ['2026-03-29T01:00:00.000Z', 2],
        ['2026-10-25T01:00:00.000Z', 1],
      ]);
    });

    it('is one span when the clocks do not change', () => {
      expect(
        osloOffsetSpans(new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')),
      ).toEqual([{ from: new Date('2026-11-01T00:00:00Z'), offsetMs: 3_600_000 }]);
    });

    it('agrees with osloOffsetAt either side of a change', () => {
      expect(osloOffsetAt(new Date('2026-03-29T00:59:59Z'))).toBe(3_600_000);
      expect(osloOffsetAt(new Date('2026-03-29T01:00:00Z'))).toBe(7_200_000);
    });
  });
});
