import { handoverVerdict } from './writeback-handover';

describe(handoverVerdict, () => {
  const NEW = '2027-01-15';

  it('is registered when the invoice has the new due date, paid or not', () => {
    expect(handoverVerdict(NEW, { dueDate: NEW, status: 'UNPAID' })).toEqual({
      kind: 'registered',
      dueDate: NEW,
    });
    expect(handoverVerdict(NEW, { dueDate: NEW, status: 'PAID' }).kind).toBe('registered');
  });

  it('is not needed any more when the invoice was paid before the date was registered', () => {
    expect(handoverVerdict(NEW, { dueDate: '2026-12-15', status: 'PAID' })).toEqual({
      kind: 'paid',
      dueDate: '2026-12-15',
    });
  });

  it('stays open on the old date, on another date someone typed, and for a claim gone to collection', () => {
    for (const invoice of [
      { dueDate: '2026-12-15', status: 'UNPAID' as const },
      { dueDate: '2027-01-16', status: 'UNPAID' as const },
      { dueDate: '2026-12-15', status: 'SENT_TO_DEBT_COLLECTION' as const },
    ])
      expect(handoverVerdict(NEW, invoice)).toEqual({ kind: 'open', dueDate: invoice.dueDate });
  });
});
