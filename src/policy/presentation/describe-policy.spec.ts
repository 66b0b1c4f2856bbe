import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from '../../config/paths';
import { FACT_NAMES } from '../engine/facts';
import { loadPolicy } from '../loading/policy-loader';
import { defaultPolicyJson, setAt } from '../policy.test-factory';
import type { Policy } from '../policy.types';
import { describeParameters, describePolicy } from './describe-policy';
import { FACT_PHRASES } from './policy-words';

function policyFrom(json: unknown): Policy {
  const result = loadPolicy(JSON.stringify(json));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const seed = (file: string) => policyFrom(JSON.parse(readFileSync(join(RULES_DIR, file), 'utf8')));

/** The texts with plain spaces: amounts and days carry no-break spaces, which a test cannot show. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');
const sentences = (policy: Policy, lang: 'nb' | 'nn' | 'en') =>
  describePolicy(policy, lang).rules.map((rule) => plain(rule.text));

const APPROVE_NB = (days: number, amount: string) =>
  'Innvilges automatisk når fakturaen ikke er i inkassoløpet og fakturastatusen er «Ikke betalt» ' +
  'og fakturaen ikke er utsatt fra før og utsettelsen er minst 1 dag ' +
  `og utsettelsen er høyst ${days} dager og tiden siden forfall er høyst 0 dager ` +
  `og beløpet er under ${amount} og antall utsettelser innbyggeren har fått de siste seks ` +
  'månedene er høyst 3 og samlet ubetalt beløp (denne fakturaen medregnet) er høyst 20 000 kr ' +
  'og antall ubetalte fakturaer innbyggeren har (denne medregnet) er høyst 2.';

const RULES_NB = (days: number, amount: string) => [
  'Avslås når fakturaen er i inkassoløpet eller fakturastatusen er én av «Inkassovarsel sendt», «Sendt til inkasso», «Til inkasso».',
  'Avslås når fakturaen er utsatt fra før.',
  APPROVE_NB(days, amount),
  'Går til manuell behandling når fakturastatusen er en annen enn «Ikke betalt» og fakturaen ikke er i inkassoløpet.',
  'Går til manuell behandling når utsettelsen er under 1 dag.',
  `Går til manuell behandling når utsettelsen er over ${days} dager.`,
  'Går til manuell behandling når tiden siden forfall er over 0 dager.',
  `Går til manuell behandling når beløpet er minst ${amount}.`,
  'Går til manuell behandling når antall utsettelser innbyggeren har fått de siste seks månedene er over 3.',
  'Går til manuell behandling når samlet ubetalt beløp (denne fakturaen medregnet) er over 20 000 kr.',
  'Går til manuell behandling når antall ubetalte fakturaer innbyggeren har (denne medregnet) er over 2.',
  'Avslås når antall inkassosaker de siste 24 månedene er over 0.',
];

describe('describePolicy', () => {
  describe('the seed policies in bokmål', () => {
    it('renders every rule of the default policy, highest priority first', () => {
      expect(sentences(seed('default.policy.json'), 'nb')).toEqual(RULES_NB(30, '10 000 kr'));
    });

    it('orders the rules as the engine runs them: priority, then file order', () => {
      const json = defaultPolicyJson() as { rules: unknown[] };
      json.rules.reverse();
      expect(describePolicy(policyFrom(json), 'nb').rules.map((rule) => rule.priority)).toEqual([
        100, 100, 50, 10, 10, 10, 10, 10, 10, 10, 10, 10,
      ]);
      expect(describePolicy(policyFrom(json), 'nb').rules[0].name).toBe('reject-already-deferred');
    });

    it("renders Åsdal's own limits", () => {
      expect(sentences(seed('asdal.policy.json'), 'nb')).toEqual(RULES_NB(21, '1 500 kr'));
    });

    it('says how the outcome is chosen when several rules apply', () => {
      expect(describePolicy(seed('default.policy.json'), 'nb').intro).toBe(
        'Alle reglene blir vurdert for hver søknad. Slår minst én avslagsregel til, avslås søknaden. ' +
          'Ellers innvilges den automatisk hvis minst én innvilgelsesregel slår til. Ellers går den ' +
          'til manuell behandling, også når ingen regel slår til. Rekkefølgen og prioriteten til ' +
          'reglene endrer ikke utfallet.',
      );
    });

    it('keeps amounts and day counts together with no-break spaces', () => {
      const text = describePolicy(seed('default.policy.json'), 'nb').rules[7].text;
      expect(text).toContain('minst 10\u00a0000\u00a0kr');
    });
  });

  describe('nynorsk and English', () => {
    it('renders a rejection and an approval in nynorsk', () => {
      const nn = sentences(seed('default.policy.json'), 'nn');
      expect(nn[1]).toBe('Blir avslått når fakturaen er utsett frå før.');
      expect(nn[3]).toBe(
        'Går til manuell behandling når fakturastatusen er ein annan enn «Ikkje betalt» og fakturaen ikkje er i inkassoløpet.',
      );
      expect(nn[2]).toMatch(
        /^Blir innvilga automatisk når fakturaen ikkje er i inkassoløpet og .* og utsetjinga er høgst 30 dagar og .* og beløpet er under 10 000 kr og /,
      );
    });

    it('renders rules in English with amounts in NOK', () => {
      const en = sentences(seed('default.policy.json'), 'en');
      expect(en[0]).toBe(
        'Rejected when the invoice is in debt collection or the invoice status is one of “Debt collection warning sent”, “Sent to debt collection”, “In debt collection”.',
      );
      expect(en[7]).toBe('Sent to manual review when the amount is at least NOK 10,000.');
      expect(en[2]).toContain(
        'the invoice is not in debt collection and the invoice status is “Not paid” and the invoice has not been deferred before and the deferral is at least 1 day',
      );
    });
  });

  it('follows a changed parameter value, kroner with øre included', () => {
    const json = defaultPolicyJson();
    setAt(json, '/parameters/maxAmountOre/value', 1_234_550);
    setAt(json, '/parameters/maxDeferralDays/value', 45);
    const nb = sentences(policyFrom(json), 'nb');
    expect(nb[7]).toBe('Går til manuell behandling når beløpet er minst 12 345,50 kr.');
    expect(nb[5]).toBe('Går til manuell behandling når utsettelsen er over 45 dager.');
    expect(plain(describePolicy(policyFrom(json), 'en').rules[7].text)).toBe(
      'Sent to manual review when the amount is at least NOK 12,345.50.',
    );
  });

  describe('nested conditions', () => {
    /** Approve when the amount is low AND (few unpaid invoices OR no reminders), unless not-ed. */
    function nestedPolicy(): Policy {
      const json = defaultPolicyJson();
      setAt(json, '/rules/2/conditions', {
        all: [
          {
            fact: 'amountOre',
            operator: 'lessThan',
            value: { fact: 'parameters', path: '$.maxAmountOre' },
          },
          {
            any: [
              {
                fact: 'unpaidInvoiceCount',
                operator: 'lessThanInclusive',
                value: { fact: 'parameters', path: '$.maxUnpaidInvoices' },
              },
              { not: { fact: 'alreadyDeferred', operator: 'equal', value: true } },
            ],
          },
          { not: { all: [{ fact: 'inCollection', operator: 'equal', value: true }] } },
        ],
      });
      return policyFrom(json);
    }

    it('renders an any inside an all as bullets, never as one ambiguous sentence', () => {
      const rule = describePolicy(nestedPolicy(), 'nb').rules[2];
      expect(rule.text).toBe('Innvilges automatisk når alle punktene under stemmer:');
      expect(JSON.parse(plain(JSON.stringify(rule.items)))).toEqual([
        { text: 'beløpet er under 10 000 kr' },
        {
          text: 'minst ett av punktene under stemmer:',
          items: [
            { text: 'antall ubetalte fakturaer innbyggeren har (denne medregnet) er høyst 2' },
            { text: 'fakturaen er ikke utsatt fra før' },
          ],
        },
        { text: 'fakturaen er ikke i inkassoløpet' },
      ]);
    });

    it('puts the nested group of a table row in parentheses', () => {
      const row = describePolicy(nestedPolicy(), 'en').table[2];
      expect(row.match).toBe('all');
      expect(row.conditions.map(plain)).toEqual([
        'the amount is less than NOK 10,000',
        '(the number of unpaid invoices the resident has (this one included) is at most 2 or the invoice has not been deferred before)',
        'the invoice is not in debt collection',
      ]);
      expect(row.parameters.map((p) => p.name)).toEqual(['maxAmountOre', 'maxUnpaidInvoices']);
    });

    it('turns "not any" into "all of the negations" (De Morgan)', () => {
      const json = defaultPolicyJson();
      setAt(json, '/rules/1/conditions', {
        not: {
          any: [
            {
              fact: 'amountOre',
              operator: 'greaterThanInclusive',
              value: { fact: 'parameters', path: '$.maxAmountOre' },
            },
            {
              fact: 'invoiceStatus',
              operator: 'in',
              value: { fact: 'parameters', path: '$.collectionStatuses' },
            },
          ],
        },
      });
      expect(sentences(policyFrom(json), 'nb')[1]).toBe(
        'Avslås når beløpet er under 10 000 kr og fakturastatusen er ingen av «Inkassovarsel sendt», «Sendt til inkasso», «Til inkasso».',
      );
    });
  });

  describe('the table', () => {
    it('has one row per rule with outcome, parts and the parameters used', () => {
      const row = describePolicy(seed('default.policy.json'), 'nb').table[0];
      expect(row).toMatchObject({
        name: 'reject-in-collection',
        outcome: 'rejected',
        outcomeLabel: 'Avslås',
        match: 'any',
        matchLabel: 'Minst ett av vilkårene må stemme',
        conditions: [
          'fakturaen er i inkassoløpet',
          'fakturastatusen er én av «Inkassovarsel sendt», «Sendt til inkasso», «Til inkasso»',
        ],
      });
      expect(row.parameters.map((p) => [p.name, p.label])).toEqual([
        ['collectionStatuses', 'Statuser som betyr inkasso'],
      ]);
    });
  });

  it('renders a fact or operator it does not know plainly instead of failing', () => {
    const policy = seed('default.policy.json');
    const odd = {
      ...policy,
      rules: [
        {
          ...policy.rules[7],
          conditions: {
            all: [
              {
                fact: 'amountKr',
                operator: 'lessThan',
                value: { fact: 'parameters', path: '$.maxAmountOre' },
              },
              {
                fact: 'amountOre',
                operator: 'almostEqual',
                value: { fact: 'parameters', path: '$.nothing' },
              },
              { not: { fact: 'amountOre', operator: 'roughly', value: true } },
            ],
          },
        },
      ],
    } as unknown as Policy;
    expect(plain(describePolicy(odd, 'nb').rules[0].text)).toBe(
      'Går til manuell behandling når amountKr lessThan maxAmountOre (10 000 kr) og amountOre almostEqual $.nothing og ikke (amountOre roughly true).',
    );
  });

  it('has a phrase for every fact in all three languages', () => {
    for (const fact of FACT_NAMES) {
      for (const lang of ['nb', 'nn', 'en'] as const) {
        expect(FACT_PHRASES[fact][lang].subject).toMatch(/\S/);
      }
    }
    expect(Object.keys(FACT_PHRASES).sort()).toEqual([...FACT_NAMES].sort());
  });
});

describe('describeParameters', () => {
  it('labels each parameter and formats its value with its unit', () => {
    const described = describeParameters(seed('default.policy.json'), 'nb').map((p) => ({
      ...p,
      value: plain(p.value),
    }));
    expect(described.map((p) => [p.name, p.label, p.value])).toEqual([
      ['minDeferralDays', 'Korteste utsettelse', '1 dag'],
      ['maxDeferralDays', 'Lengste utsettelse', '30 dager'],
      ['earliestDaysBeforeDue', 'Tidligste søknad før forfall', '60 dager'],
      ['latestDaysAfterDue', 'Seneste søknad etter forfall', '14 dager'],
      ['maxDaysPastDueForApproval', 'Automatisk innvilgelse etter forfall', '0 dager'],
      ['maxAmountOre', 'Beløpsgrense', '10 000 kr'],
      ['maxDeferralsLast6Months', 'Flest utsettelser siste seks måneder', '3'],
      ['maxTotalOutstandingOre', 'Grense for samlet ubetalt beløp', '20 000 kr'],
      ['maxUnpaidInvoices', 'Flest ubetalte fakturaer', '2'],
      ['openInvoiceStatuses', 'Statuser som kan få utsettelse', '«Ikke betalt»'],
      [
        'collectionStatuses',
        'Statuser som betyr inkasso',
        '«Inkassovarsel sendt», «Sendt til inkasso», «Til inkasso»',
      ],
      ['maxCollectionCasesLast24Months', 'Flest inkassosaker siste 24 måneder', '0'],
    ]);
    expect(described[0]).toMatchObject({
      unit: 'days',
      description: 'Den nye forfallsdatoen må være minst så mange dager etter den opprinnelige.',
      descriptionLang: 'nb',
    });
  });

  it('labels in nynorsk and English too', () => {
    const policy = seed('default.policy.json');
    expect(plain(describeParameters(policy, 'nn')[1].label)).toBe('Lengste utsetjing');
    expect(plain(describeParameters(policy, 'nn')[1].value)).toBe('30 dagar');
    expect(plain(describeParameters(policy, 'en')[5].value)).toBe('NOK 10,000');
  });
});
