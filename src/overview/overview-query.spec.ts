import { ALL_MUNICIPALITIES, parseOverviewQuery, type ServedMunicipality } from './overview-query';

const nordby: ServedMunicipality = {
  id: 'id-a',
  slug: 'nordby',
  name: 'Nordby kommune',
  minutesPerManualCase: 10,
};
const sorby: ServedMunicipality = {
  id: 'id-b',
  slug: 'sorby',
  name: 'Sørby kommune',
  minutesPerManualCase: 15,
};

describe(parseOverviewQuery.name, () => {
  it('shows the request’s own municipality for the last 12 weeks when nothing is chosen', () => {
    expect(parseOverviewQuery({}, [nordby, sorby], 'id-b')).toEqual({
      ok: true,
      selection: { choice: 'sorby', weeks: 12, municipalities: [sorby] },
    });
  });

  it('takes a municipality the officer serves and a period offered', () => {
    expect(parseOverviewQuery({ kommune: 'nordby', uker: '52' }, [nordby, sorby], 'id-b')).toEqual({
      ok: true,
      selection: { choice: 'nordby', weeks: 52, municipalities: [nordby] },
    });
  });

  it('takes every municipality served for "alle"', () => {
    expect(
      parseOverviewQuery({ kommune: ALL_MUNICIPALITIES, uker: '4' }, [nordby, sorby], 'id-a'),
    ).toEqual({
      ok: true,
      selection: { choice: 'alle', weeks: 4, municipalities: [nordby, sorby] },
    });
  });

  it('refuses (403) a municipality the officer does not serve, or that does not exist', () => {
    for (const kommune of ['sorby', 'nowhere']) {
      const parsed = parseOverviewQuery({ kommune, uker: '12' }, [nordby], 'id-a');
      expect(parsed).toEqual({
        ok: false,
        status: 403,
        errors: [{ field: 'kommune', key: 'staffOverview.errors.municipality' }],
        selection: { choice: 'nordby', weeks: 12, municipalities: [nordby] },
      });
    }
  });

  it('refuses (400) a period not offered, keeping the municipality chosen', () => {
    for (const uker of ['7', '0', '-4', '12.0', 'tolv', '']) {
      const parsed = parseOverviewQuery({ kommune: 'sorby', uker }, [nordby, sorby], 'id-a');
      expect(parsed).toEqual({
        ok: false,
        status: 400,
        errors: [{ field: 'uker', key: 'staffOverview.errors.weeks' }],
        selection: { choice: 'sorby', weeks: 12, municipalities: [sorby] },
      });
    }
  });

  it('refuses (400) a parameter given twice', () => {
    const parsed = parseOverviewQuery(
      { kommune: ['nordby', 'sorby'], uker: ['4', '12'] },
      [nordby, sorby],
      'id-a',
    );
    expect(parsed).toMatchObject({
      ok: false,
      status: 400,
      errors: [
        { field: 'kommune', key: 'staffOverview.errors.municipalityMalformed' },
        { field: 'uker', key: 'staffOverview.errors.weeks' },
      ],
    });
  });

  it('names both errors, with 403, when both are wrong', () => {
    const parsed = parseOverviewQuery({ kommune: 'sorby', uker: '3' }, [nordby], 'id-a');
    expect(parsed).toMatchObject({ ok: false, status: 403 });
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.field)).toEqual(['kommune', 'uker']);
  });
});
