import { noticesStillTrue } from './case-notices';

const notice = (code: string) => ({ code, text: { nb: code, nn: code, en: code } });
const request = (overrides: Partial<Parameters<typeof noticesStillTrue>[0]> = {}) => ({
  notices: [notice('original-due-date-applies'), notice('interest')],
  decidedBy: null,
  originalDueDate: '2026-12-10',
  ...overrides,
});

describe(noticesStillTrue, () => {
  it('keeps every notice while the original due date is still ahead, or today', () => {
    expect(noticesStillTrue(request(), '2026-12-06').map((n) => n.code)).toEqual([
      'original-due-date-applies',
      'interest',
    ]);
    expect(noticesStillTrue(request(), '2026-12-10')).toHaveLength(2);
  });

  it('drops "the original due date applies" once that date has passed', () => {
    expect(noticesStillTrue(request(), '2026-12-11').map((n) => n.code)).toEqual(['interest']);
  });

  it('drops the policy’s notices once an officer has decided the case', () => {
    expect(noticesStillTrue(request({ decidedBy: 'staff:siri' }), '2026-12-06')).toEqual([]);
  });
});
