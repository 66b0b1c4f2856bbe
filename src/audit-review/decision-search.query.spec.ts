import { INVOICE_TYPES } from '../policy/engine/facts';
import {
  INVOICE_TYPE_CHOICES,
  parseDecisionSearch,
  searchQueryString,
} from './decision-search.query';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const parse = (query: Record<string, unknown>, served = [A, B]) =>
  parseDecisionSearch(query, served, A);

describe('parseDecisionSearch', () => {
  it('searches the request’s municipality, first page, when nothing is asked', () => {
    expect(parse({})).toEqual({
      search: { municipalityChoice: A, municipalityIds: [A], page: 1 },
      problems: [],
    });
  });

  it('reads every filter, normalising the reference and the version id', () => {
    const { search, problems } = parse({
      kommune: 'alle',
      fra: '2026-01-01',
      til: '2026-01-31',
      utfall: 'rejected',
      avgjort: 'saksbehandler',
      versjon: A.toUpperCase(),
      type: 'EIENDOMSSKATT',
      referanse: ' uts-7k3m-q9tx ',
      saksbehandler: 'staff:demo-officer-siri',
      side: '3',
    });
    expect(problems).toEqual([]);
    expect(search).toEqual({
      municipalityChoice: 'alle',
      municipalityIds: [A, B],
      from: '2026-01-01',
      to: '2026-01-31',
      outcome: 'rejected',
      decider: 'saksbehandler',
      versionId: A,
      invoiceType: 'EIENDOMSSKATT',
      reference: 'UTS-7K3M-Q9TX',
      officer: 'staff:demo-officer-siri',
      page: 3,
    });
  });

  it('treats empty fields as not asked', () => {
    expect(parse({ fra: '', utfall: ' ', side: '' }).problems).toEqual([]);
  });

  it.each([
    ['kommune', { kommune: '33333333-3333-4333-8333-333333333333' }, 'unknown'],
    ['fra', { fra: '31.01.2026' }, 'date'],
    ['fra', { fra: '2026-02-30' }, 'date'],
    ['til', { fra: '2026-02-01', til: '2026-01-31' }, 'beforeFrom'],
    ['utfall', { utfall: 'maybe' }, 'unknown'],
    ['avgjort', { avgjort: 'robot' }, 'unknown'],
    ['versjon', { versjon: 'v1' }, 'malformed'],
    ['type', { type: 'CAR' }, 'unknown'],
    ['referanse', { referanse: 'UTS-1' }, 'malformed'],
    ['saksbehandler', { saksbehandler: 'siri' }, 'malformed'],
    ['side', { side: '0' }, 'number'],
    ['side', { side: '1e3' }, 'number'],
    ['utfall', { utfall: ['approved', 'rejected'] }, 'malformed'],
    ['referanse', { referanse: 'UTS-\u0000' }, 'malformed'],
  ])('refuses a bad %s beside its field (%j)', (field, query, problem) => {
    expect(parse(query).problems).toEqual([{ field, problem }]);
  });

  it('names each of several problems once, in form order', () => {
    const { problems } = parse({ fra: 'x', til: 'y', utfall: 'z' });
    expect(problems.map((p) => p.field)).toEqual(['fra', 'til', 'utfall']);
  });

  it('offers exactly the policy’s invoice types', () => {
    expect([...INVOICE_TYPE_CHOICES]).toEqual([...INVOICE_TYPES]);
  });
});

describe('searchQueryString', () => {
  it('gives the filters back as asked, the page only past the first', () => {
    const { search } = parse({ fra: '2026-01-01', utfall: 'approved', side: '2' });
    expect(searchQueryString(search)).toBe(`kommune=${A}&fra=2026-01-01&utfall=approved`);
    expect(searchQueryString(search, 3)).toBe(`kommune=${A}&fra=2026-01-01&utfall=approved&side=3`);
    expect(searchQueryString(search, 1)).toBe(`kommune=${A}&fra=2026-01-01&utfall=approved`);
  });
});
