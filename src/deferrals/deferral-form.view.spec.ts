import type { Invoice } from '../finance';
import type { DeferralWindow } from '../policy';
import { isBankingDay } from '../shared/banking-days';
import { deferralFormView } from './deferral-form.view';

const invoice = { dueDate: '2027-03-20' } as Invoice;
const window = (earliest: string, latest: string): DeferralWindow => ({
  allowed: true,
  earliestNewDueDate: earliest,
  latestNewDueDate: latest,
  closesOn: '2027-04-03',
});

describe(deferralFormView.name, () => {
  it('offers the banking days of the window only, the shortest deferral first', () => {
    // Easter 2027: Maundy Thursday 25 March to Easter Monday 29 March.
    const view = deferralFormView(invoice, window('2027-03-21', '2027-04-19'), null);
    const dates = view.options.map((o) => o.value);
    expect(dates.slice(0, 6)).toEqual([
      '2027-03-22',
      '2027-03-23',
      '2027-03-24',
      '2027-03-30',
      '2027-03-31',
      '2027-04-01',
    ]);
    expect(dates.every(isBankingDay)).toBe(true);
    expect(dates).toEqual([...dates].sort());
    expect(dates[dates.length - 1]).toBe('2027-04-19');
    expect(dates).toHaveLength(18);
    expect(view.options[0]).toMatchObject({ days: 2, id: 'newDueDate' });
    // Each choice has an id of its own; the first carries the field's, for the error summary's link.
    expect(new Set(view.options.map((o) => o.id)).size).toBe(dates.length);
  });

  it('says so when the window holds no banking day, rather than offering an empty list', () => {
    const view = deferralFormView(invoice, window('2027-03-25', '2027-03-29'), null);
    expect(view).toMatchObject({ allowed: false, refusal: 'no-banking-day', options: [] });
  });

  it('keeps the date chosen and names each problem with its field, in the order of the form', () => {
    const view = deferralFormView(invoice, window('2027-03-21', '2027-04-19'), null, {
      problems: ['dateNotBankingDay', 'emailInvalid'],
      values: { newDueDate: '2027-03-24', email: 'x' },
    });
    expect(view.options.filter((o) => o.selected).map((o) => o.value)).toEqual(['2027-03-24']);
    expect(view.errors).toEqual([
      { field: 'newDueDate', problem: 'dateNotBankingDay' },
      { field: 'email', problem: 'emailInvalid' },
    ]);
  });
});
