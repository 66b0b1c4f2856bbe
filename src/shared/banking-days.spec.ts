import {
  bankingDayOnOrAfter,
  bankingDayOnOrBefore,
  easterSunday,
  isBankingDay,
  norwegianPublicHolidays,
} from './banking-days';

describe('banking-days', () => {
  describe(easterSunday.name, () => {
    // The Norwegian almanac's Easter Sundays, and the extremes of the Gregorian computus.
    it.each([
      [2026, '2026-04-05'],
      [2027, '2027-03-28'],
      [2028, '2028-04-16'],
      [2029, '2029-04-01'],
      [2030, '2030-04-21'],
      [2285, '2285-03-22'],
      [2038, '2038-04-25'],
    ])('puts Easter Sunday %i on %s', (year, date) => {
      expect(easterSunday(year)).toBe(date);
    });
  });

  describe(norwegianPublicHolidays.name, () => {
    it('names the public holidays of 2026, fixed and moved with Easter, in order', () => {
      expect(norwegianPublicHolidays(2026)).toEqual([
        '2026-01-01', // New Year's Day
        '2026-04-02', // Maundy Thursday
        '2026-04-03', // Good Friday
        '2026-04-05', // Easter Sunday
        '2026-04-06', // Easter Monday
        '2026-05-01', // Labour Day
        '2026-05-14', // Ascension Day
        '2026-05-17', // Constitution Day
        '2026-05-24', // Whit Sunday
        '2026-05-25', // Whit Monday
        '2026-12-25', // Christmas Day
        '2026-12-26', // Boxing Day
      ]);
    });

    it('names those of 2027, when Whit Monday falls on Constitution Day, once each', () => {
      expect(norwegianPublicHolidays(2027)).toEqual([
        '2027-01-01',
        '2027-03-25',
        '2027-03-26',
        '2027-03-28',
        '2027-03-29',
        '2027-05-01',
        '2027-05-06',
        '2027-05-16',
        '2027-05-17', // Constitution Day and Whit Monday
        '2027-12-25',
        '2027-12-26',
      ]);
    });

    it('names those of 2028', () => {
      expect(norwegianPublicHolidays(2028)).toEqual([
        '2028-01-01',
        '2028-04-13',
        '2028-04-14',
        '2028-04-16',
        '2028-04-17',
        '2028-05-01',
        '2028-05-17',
        '2028-05-25',
        '2028-06-04',
        '2028-06-05',
        '2028-12-25',
        '2028-12-26',
      ]);
    });
  });

  describe(isBankingDay.name, () => {
    it.each([
      ['2026-12-07', 'a Monday'],
      ['2026-12-23', 'the day before Christmas Eve'],
      ['2027-03-24', 'the Wednesday before Easter'],
      ['2027-05-18', 'the day after Constitution Day'],
      ['2028-06-06', 'the day after Whit Monday'],
    ])('counts %s (%s)', (date) => {
      expect(isBankingDay(date)).toBe(true);
    });

    it.each([
      ['2026-12-05', 'a Saturday'],
      ['2026-12-06', 'a Sunday'],
      ['2026-12-24', 'Christmas Eve, when the banks settle nothing'],
      ['2026-12-25', 'Christmas Day'],
      ['2026-12-31', "New Year's Eve, when the banks settle nothing"],
      ['2027-01-01', "New Year's Day"],
      ['2026-04-02', 'Maundy Thursday'],
      ['2027-03-26', 'Good Friday'],
      ['2028-04-17', 'Easter Monday'],
      ['2026-05-01', 'Labour Day'],
      ['2027-05-06', 'Ascension Day'],
      ['2026-05-25', 'Whit Monday'],
      ['2028-05-17', 'Constitution Day'],
    ])('does not count %s (%s)', (date) => {
      expect(isBankingDay(date)).toBe(false);
    });
  });

  describe(bankingDayOnOrAfter.name, () => {
    it('keeps a banking day and moves anything else to the next one', () => {
      expect(bankingDayOnOrAfter('2026-12-07')).toBe('2026-12-07');
      expect(bankingDayOnOrAfter('2026-12-05')).toBe('2026-12-07');
      // Christmas Eve (Thursday) to Boxing Day (Saturday), then the Sunday.
      expect(bankingDayOnOrAfter('2026-12-24')).toBe('2026-12-28');
      // Maundy Thursday to Easter Monday.
      expect(bankingDayOnOrAfter('2027-03-25')).toBe('2027-03-30');
    });
  });

  describe(bankingDayOnOrBefore.name, () => {
    it('keeps a banking day and moves anything else to the one before', () => {
      expect(bankingDayOnOrBefore('2026-12-07')).toBe('2026-12-07');
      expect(bankingDayOnOrBefore('2026-12-06')).toBe('2026-12-04');
      expect(bankingDayOnOrBefore('2027-01-01')).toBe('2026-12-30');
      expect(bankingDayOnOrBefore('2028-04-17')).toBe('2028-04-12');
    });
  });
});
