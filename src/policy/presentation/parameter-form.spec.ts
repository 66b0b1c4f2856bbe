import { canonicalJson } from '../../shared/canonical-json';
import { loadPolicy } from '../loading/policy-loader';
import { defaultPolicyJson, defaultPolicyText, setAt } from '../policy.test-factory';
import type { Policy } from '../policy.types';
import { errorsByField, JSON_FIELD } from './form-errors';
import { applyParameterForm, type ParameterFormInput, parameterForm } from './parameter-form';

function defaultPolicy(): Policy {
  const result = loadPolicy(defaultPolicyText());
  if (!result.ok) throw new Error('default policy refused');
  return result.policy;
}

/** The form as the page posts it unchanged: every field with its current value. */
function unchangedInput(): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {};
  for (const field of parameterForm(defaultPolicy(), 'nb')) {
    input[field.id] =
      field.options.length > 0
        ? field.options.filter((o) => o.checked).map((o) => o.value)
        : field.value;
  }
  return input;
}

function applied(changes: ParameterFormInput) {
  return applyParameterForm(defaultPolicyText(), { ...unchangedInput(), ...changes });
}

function valueOf(text: string, name: string): unknown {
  return (JSON.parse(text) as { parameters: Record<string, { value: unknown }> }).parameters[name]
    .value;
}

describe('parameterForm', () => {
  it('gives one field per parameter with kind, unit and the value as the input shows it', () => {
    const fields = parameterForm(defaultPolicy(), 'nb');
    expect(fields.map((f) => [f.id, f.kind, f.value, f.unitLabel])).toEqual([
      ['minDeferralDays', 'days', '1', 'dager'],
      ['maxDeferralDays', 'days', '30', 'dager'],
      ['earliestDaysBeforeDue', 'days', '60', 'dager'],
      ['latestDaysAfterDue', 'days', '14', 'dager'],
      ['maxDaysPastDueForApproval', 'days', '0', 'dager'],
      ['maxAmountOre', 'kroner', '10 000', 'kr'],
      ['maxDeferralsLast6Months', 'count', '3', ''],
      ['maxTotalOutstandingOre', 'kroner', '20 000', 'kr'],
      ['maxUnpaidInvoices', 'count', '2', ''],
      ['openInvoiceStatuses', 'statuses', '', ''],
      ['collectionStatuses', 'statuses', '', ''],
      ['maxCollectionCasesLast24Months', 'count', '0', ''],
    ]);
    expect(fields[5]).toMatchObject({ label: 'Beløpsgrense', unit: 'ore', descriptionLang: 'nb' });
    expect(fields[9].options).toEqual([
      { value: 'BETALT', label: 'Betalt', checked: false },
      { value: 'IKKE_BETALT', label: 'Ikke betalt', checked: true },
      { value: 'INKASSOVARSEL', label: 'Inkassovarsel sendt', checked: false },
      { value: 'SENDT_INKASSO', label: 'Sendt til inkasso', checked: false },
      { value: 'INKASSO', label: 'Til inkasso', checked: false },
    ]);
  });

  it('shows kroner with øre the way each language writes them', () => {
    const json = defaultPolicyJson();
    setAt(json, '/parameters/maxAmountOre/value', 1_234_505);
    const policy = (loadPolicy(JSON.stringify(json)) as { policy: Policy }).policy;
    expect(parameterForm(policy, 'nn')[5].value).toBe('12 345,05');
    expect(parameterForm(policy, 'en')[5]).toMatchObject({ value: '12345.05', unitLabel: 'NOK' });
  });
});

describe('applyParameterForm', () => {
  it('changes nothing but canonical layout when nothing was changed', () => {
    const result = applyParameterForm(defaultPolicyText(), unchangedInput());
    expect(result).toEqual({ ok: true, text: canonicalJson(defaultPolicyJson()) });
  });

  it('writes kroner as øre, days and statuses, keeping every other byte', () => {
    const result = applied({
      maxAmountOre: '1 500',
      maxTotalOutstandingOre: '10000,50',
      maxDeferralDays: '21',
      openInvoiceStatuses: 'IKKE_BETALT',
      collectionStatuses: ['INKASSO', 'INKASSOVARSEL'],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const expected = defaultPolicyJson();
    setAt(expected, '/parameters/maxAmountOre/value', 150_000);
    setAt(expected, '/parameters/maxTotalOutstandingOre/value', 1_000_050);
    setAt(expected, '/parameters/maxDeferralDays/value', 21);
    setAt(expected, '/parameters/collectionStatuses/value', ['INKASSOVARSEL', 'INKASSO']);
    expect(result.text).toBe(canonicalJson(expected));
  });

  it('accepts no-break spaces, "kr" and a decimal point in kroner', () => {
    const result = applied({ maxAmountOre: '12\u00a0345.5 kr' });
    expect(result.ok && valueOf(result.text, 'maxAmountOre')).toBe(1_234_550);
  });

  it('reads an unchecked list (no field sent) as empty', () => {
    const input = unchangedInput();
    delete input.collectionStatuses;
    const result = applyParameterForm(defaultPolicyText(), input);
    expect(result.ok && valueOf(result.text, 'collectionStatuses')).toEqual([]);
  });

  it.each([
    ['maxAmountOre', 'ti tusen', /^Skriv beløpet i kroner med tall/],
    ['maxAmountOre', '10.000', /^Skriv beløpet i kroner med tall/],
    ['maxAmountOre', '-5', /^Verdien kan ikke være negativ\.$/],
    ['maxAmountOre', '100000000000000', /^Beløpet er for stort\. Høyeste mulige er 90/],
    ['maxAmountOre', ' ', /^Fyll inn en verdi\.$/],
    ['maxDeferralDays', '2,5', /^Skriv et helt antall dager, for eksempel 30\.$/],
    ['maxDeferralDays', '-1', /^Verdien kan ikke være negativ\.$/],
    ['maxDeferralDays', '4000', /^Høyst 3\u00a0650\u00a0dager \(ti år\)\.$/],
    ['maxUnpaidInvoices', 'to', /^Det er ikke et tall\. Skriv et helt tall, for eksempel 3\.$/],
    ['openInvoiceStatuses', ['IKKE_BETALT', 'UTSATT'], /^Ukjent fakturastatus: "UTSATT"\.$/],
  ])('refuses %s = %j with a message on that field', (field, value, message) => {
    const result = applied({ [field]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ field, path: `/parameters/${field}/value` });
    expect(result.errors[0].message.nb).toMatch(message);
    expect(result.errors[0].message.nn).not.toBe(result.errors[0].message.nb);
    expect(result.errors[0].message.en).toMatch(/\S/);
  });

  it('refuses a shortest deferral longer than the longest, on the shortest', () => {
    const result = applied({ minDeferralDays: '31' });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'minDeferralDays',
          path: '/parameters/minDeferralDays/value',
          message: {
            nb: 'Korteste utsettelse kan ikke være lengre enn lengste utsettelse (30\u00a0dager).',
            nn: 'Kortaste utsetjing kan ikkje vere lengre enn lengste utsetjing (30\u00a0dagar).',
            en: 'The shortest deferral cannot be longer than the longest deferral (30\u00a0days).',
          },
        },
      ],
    });
  });

  it('runs the full validation and reports what the form cannot fix at its JSON path', () => {
    const json = defaultPolicyJson();
    setAt(json, '/rules/2/conditions/all/6/value/path', '$.maxAmountKr');
    const result = applyParameterForm(JSON.stringify(json, null, 2), unchangedInput());
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: JSON_FIELD,
          path: '/rules/2/conditions/all/6/value',
          message: expect.objectContaining({
            nb: 'Det finnes ingen parameter «maxAmountKr» under /parameters.',
          }),
        },
      ],
    });
  });

  it('reports text that is not JSON with its line and column', () => {
    const result = applyParameterForm('{\n  "id": }', unchangedInput());
    expect(result).toMatchObject({
      ok: false,
      errors: [{ field: JSON_FIELD, path: '', line: 2, column: 9 }],
    });
    expect(!result.ok && result.errors[0].message.nb).toMatch(
      /^Ikke gyldig JSON på linje 2, kolonne 9: /,
    );
  });
});

describe('errorsByField', () => {
  it('puts a parameter value error on its field and the rest on JSON, in order', () => {
    expect(
      errorsByField([
        { path: '/parameters/maxAmountOre/value', message: 'must be integer' },
        {
          path: '/parameters/openInvoiceStatuses/value/1',
          message: 'must be equal to one of the allowed values: BETALT, IKKE_BETALT',
        },
        { path: '/parameters/maxDeferralDays', message: 'is required' },
        { path: '/rules/0/event/params/text/nn', message: 'is required' },
      ]),
    ).toEqual([
      {
        field: 'maxAmountOre',
        path: '/parameters/maxAmountOre/value',
        message: {
          nb: 'Må være et helt tall.',
          nn: 'Må vere eit heilt tal.',
          en: 'Must be a whole number.',
        },
      },
      {
        field: 'openInvoiceStatuses',
        path: '/parameters/openInvoiceStatuses/value/1',
        message: {
          nb: 'Må være en av disse: BETALT, IKKE_BETALT.',
          nn: 'Må vere ein av desse: BETALT, IKKE_BETALT.',
          en: 'Must be one of: BETALT, IKKE_BETALT.',
        },
      },
      {
        field: JSON_FIELD,
        path: '/parameters/maxDeferralDays',
        message: { nb: 'Mangler.', nn: 'Manglar.', en: 'Is required.' },
      },
      {
        field: JSON_FIELD,
        path: '/rules/0/event/params/text/nn',
        message: { nb: 'Mangler.', nn: 'Manglar.', en: 'Is required.' },
      },
    ]);
  });

  it('says a negative limit in the officer’s language', () => {
    expect(
      errorsByField([{ path: '/parameters/maxUnpaidInvoices/value', message: 'must be >= 0' }])[0]
        .message,
    ).toEqual({
      nb: 'Må være minst 0.',
      nn: 'Må vere minst 0.',
      en: 'Must be at least 0.',
    });
  });
});
