import { AUDIT_ENTRY_TYPES } from '../audit';
import { activityQueryString, ACTIVITY_TYPES, parseActivityFilter } from './staff-activity.query';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const parse = (query: Record<string, unknown>) => parseActivityFilter(query, [A, B], A);

describe('parseActivityFilter', () => {
  it('reads the request’s municipality’s newest entries when nothing is asked', () => {
    expect(parse({})).toEqual({ filter: { municipalityId: A }, problems: [] });
  });

  it('reads every filter and the cursor', () => {
    expect(
      parse({
        kommune: B,
        hvem: 'staff:demo-officer-siri',
        hva: 'case.opened',
        fra: '2026-01-01',
        til: '2026-01-02',
        eldre: '120',
      }),
    ).toEqual({
      filter: {
        municipalityId: B,
        person: 'staff:demo-officer-siri',
        type: 'case.opened',
        from: '2026-01-01',
        to: '2026-01-02',
        before: 120,
      },
      problems: [],
    });
  });

  it.each([
    ['kommune', { kommune: 'alle' }, 'unknown'],
    ['hvem', { hvem: 'Siri Saksbehandler' }, 'malformed'],
    ['hva', { hva: 'deferral.decided' }, 'unknown'],
    ['til', { fra: '2026-01-02', til: '2026-01-01' }, 'beforeFrom'],
    ['eldre', { eldre: '-1' }, 'number'],
  ])('refuses a bad %s beside its field (%j)', (field, query, problem) => {
    expect(parse(query).problems).toEqual([{ field, problem }]);
  });

  it('lists only types the audit chain knows', () => {
    for (const type of ACTIVITY_TYPES) expect(AUDIT_ENTRY_TYPES).toContain(type);
  });
});

describe('activityQueryString', () => {
  it('keeps the filter for the next page', () => {
    const { filter } = parse({ hva: 'staff.login', eldre: '9' });
    expect(activityQueryString(filter, 5)).toBe(`kommune=${A}&hva=staff.login&eldre=5`);
    expect(activityQueryString(filter)).toBe(`kommune=${A}&hva=staff.login`);
  });
});
