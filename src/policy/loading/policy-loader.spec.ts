import { Engine } from 'json-rules-engine';
import { FACT_NAMES, INVOICE_STATUSES, INVOICE_TYPES } from '../engine/facts';
import { loadPolicy } from './policy-loader';
import * as semantics from './policy-semantics.validator';
import { readPolicySchema } from './policy-schema.validator';
import { OPERATORS, type PolicyError } from '../policy.types';
import {
  defaultPolicyJson,
  defaultPolicyText,
  getAt,
  removeAt,
  setAt,
} from '../policy.test-factory';

/** The default policy with one change, as text; and the errors the loader gives for it. */
function errorsAfter(change: (json: Record<string, unknown>) => void): readonly PolicyError[] {
  const json = defaultPolicyJson();
  change(json);
  const result = loadPolicy(JSON.stringify(json, null, 2));
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.errors;
}

const APPROVE = '/rules/2';

describe('loadPolicy', () => {
  describe('the default policy', () => {
    it('loads, with its id, version and a sha256 hash', () => {
      const result = loadPolicy(defaultPolicyText());
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.policy.id).toBe('standard-betalingsutsettelse');
      expect(result.policy.version).toBe('2026.1');
      expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('comes back frozen, so no caller can change the policy in force', () => {
      const result = loadPolicy(defaultPolicyText());
      if (!result.ok) throw new Error('default policy refused');
      expect(Object.isFrozen(result.policy.rules[2].conditions)).toBe(true);
      expect(Object.isFrozen(result.policy.parameters.openInvoiceStatuses.value)).toBe(true);
    });

    it('loads with a byte-order mark in front', () => {
      expect(loadPolicy(`\uFEFF${defaultPolicyText()}`).ok).toBe(true);
    });
  });

  describe('the JSON Schema', () => {
    const defs = (
      readPolicySchema() as {
        $defs: Record<string, { enum: string[]; properties?: { fact: { enum: string[] } } }>;
      }
    ).$defs;

    it('lists exactly the facts src/policy/facts.ts documents', () => {
      expect(defs.factName.enum).toEqual(FACT_NAMES);
      expect(defs.valueReference.properties!.fact.enum).toEqual(['parameters', ...FACT_NAMES]);
    });

    it("lists exactly json-rules-engine's built-in operators", () => {
      const builtIn = [
        ...(
          new Engine() as unknown as { operators: { operators: Map<string, unknown> } }
        ).operators.operators.keys(),
      ];
      expect([...defs.operator.enum].sort()).toEqual([...builtIn].sort());
      expect(defs.operator.enum).toEqual(OPERATORS);
    });

    it('lists the FAKTURA_V1 statuses and the invoice types', () => {
      expect(defs.invoiceStatus.enum).toEqual(INVOICE_STATUSES);
      expect(defs.invoiceType.enum).toEqual(INVOICE_TYPES);
    });
  });

  describe('refusing a policy file', () => {
    it('gives line and column when the text is not JSON', () => {
      const text = defaultPolicyText().replace('"version": "2026.1",', '"version": "2026.1"');
      const result = loadPolicy(text);
      expect(result).toEqual({
        ok: false,
        errors: [
          {
            path: '',
            line: 5,
            column: 3,
            message: expect.stringMatching(/^not valid JSON at line 5, column 3: expected ','/),
          },
        ],
      });
    });

    it('names the fact when a condition uses one the engine does not know', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/0/fact`, 'amountKr'),
      );
      expect(errors).toEqual([
        {
          path: `${APPROVE}/conditions/all/0/fact`,
          message: expect.stringMatching(
            /^must be equal to one of the allowed values: amountOre, /,
          ),
        },
      ]);
    });

    it('names the operator when a condition uses one that is not built in', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/operator`, 'lessThen'),
      );
      expect(errors.map((e) => e.path)).toEqual([`${APPROVE}/conditions/all/6/operator`]);
    });

    it('refuses operator decorators, which the trace and the checks do not understand', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/operator`, 'not:lessThan'),
      );
      expect(errors.map((e) => e.path)).toEqual([`${APPROVE}/conditions/all/6/operator`]);
    });

    it('points at the missing language when a reason lacks its nynorsk text', () => {
      const errors = errorsAfter((json) => removeAt(json, '/rules/4/event/params/text/nn'));
      expect(errors).toEqual([{ path: '/rules/4/event/params/text/nn', message: 'is required' }]);
    });

    it('refuses a reason text that is only blanks', () => {
      const errors = errorsAfter((json) => setAt(json, '/rules/0/event/params/text/en', '   '));
      expect(errors.map((e) => e.path)).toEqual(['/rules/0/event/params/text/en']);
    });

    it('names a parameter path that points at no parameter', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/value/path`, '$.maxAmountKr'),
      );
      expect(errors).toEqual([
        {
          path: `${APPROVE}/conditions/all/6/value`,
          message: 'no parameter named "maxAmountKr" in /parameters',
        },
      ]);
    });

    it('refuses a parameter path that is not a plain $.name', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/value/path`, '$..*'),
      );
      expect(errors.map((e) => e.path)).toEqual([`${APPROVE}/conditions/all/6/value/path`]);
    });

    it('does not take an inherited name such as "constructor" for a parameter', () => {
      const errors = errorsAfter((json) => {
        setAt(json, `${APPROVE}/conditions/all/6/value/path`, '$.constructor');
        setAt(json, '/rules/7/event/params/parameter', 'toString');
      });
      expect(errors.map((e) => e.path)).toEqual([
        `${APPROVE}/conditions/all/6/value`,
        '/rules/7/event/params/parameter',
      ]);
    });

    it("names a reason's parameter that does not exist", () => {
      const errors = errorsAfter((json) =>
        setAt(json, '/rules/7/event/params/parameter', 'maxAmount'),
      );
      expect(errors).toEqual([
        {
          path: '/rules/7/event/params/parameter',
          message: 'no parameter named "maxAmount" in /parameters',
        },
      ]);
    });

    it('names a wrong event type', () => {
      const errors = errorsAfter((json) => setAt(json, `${APPROVE}/event/type`, 'approved'));
      expect(errors).toEqual([
        {
          path: `${APPROVE}/event/type`,
          message: 'must be equal to one of the allowed values: approve, reject, manual-review',
        },
      ]);
    });

    it('refuses a number written into a rule instead of a parameter', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/value`, 1_000_000),
      );
      expect(errors).toEqual([
        { path: `${APPROVE}/conditions/all/6/value`, message: 'must be boolean' },
      ]);
    });

    it('refuses a limit in kroner with decimals', () => {
      const errors = errorsAfter((json) => setAt(json, '/parameters/maxAmountOre/value', 10_000.5));
      expect(errors).toEqual([
        { path: '/parameters/maxAmountOre/value', message: 'must be integer' },
      ]);
    });

    it('requires the parameters the deferral form reads', () => {
      const errors = errorsAfter((json) => removeAt(json, '/parameters/maxDeferralDays'));
      expect(errors).toEqual([{ path: '/parameters/maxDeferralDays', message: 'is required' }]);
    });

    it('refuses comparing a fact with a parameter of another unit', () => {
      const errors = errorsAfter((json) =>
        setAt(json, `${APPROVE}/conditions/all/6/value/path`, '$.maxDeferralDays'),
      );
      expect(errors).toEqual([
        {
          path: `${APPROVE}/conditions/all/6/value`,
          message: 'amountOre is measured in ore but "maxDeferralDays" is in days',
        },
      ]);
    });

    it('refuses comparing a number fact with true/false', () => {
      const errors = errorsAfter((json) => setAt(json, `${APPROVE}/conditions/all/6/value`, true));
      expect(errors.map((e) => e.path)).toEqual([`${APPROVE}/conditions/all/6/value`]);
    });

    it('refuses `in` against a list of the wrong kind', () => {
      const errors = errorsAfter((json) => {
        setAt(json, '/parameters/reviewTypes', {
          value: ['BARNEHAGE'],
          unit: 'invoice-types',
          description: 'Typer.',
        });
        setAt(json, '/rules/0/conditions/any/1/value/path', '$.reviewTypes');
      });
      expect(errors.map((e) => e.path)).toEqual(['/rules/0/conditions/any/1/value']);
    });

    it('refuses contains, since no fact is a list', () => {
      const errors = errorsAfter((json) =>
        setAt(json, '/rules/0/conditions/any/1/operator', 'contains'),
      );
      expect(errors.map((e) => e.path)).toEqual(['/rules/0/conditions/any/1/operator']);
    });

    it('refuses two rules with the same name, since the trace is keyed on names', () => {
      const errors = errorsAfter((json) =>
        setAt(json, '/rules/4/name', getAt(json, '/rules/3/name')),
      );
      expect(errors).toEqual([
        {
          path: '/rules/4/name',
          message: '"review-invoice-not-open" is already the name of /rules/3',
        },
      ]);
    });

    it('refuses properties json-rules-engine would ignore or misuse', () => {
      const errors = errorsAfter((json) => {
        setAt(json, '/rules/1/onSuccess', 'x');
        setAt(json, `${APPROVE}/conditions/all/0/priority`, 5);
      });
      expect(errors).toEqual([
        { path: '/rules/1/onSuccess', message: 'is not allowed here' },
        { path: `${APPROVE}/conditions/all/0/priority`, message: 'is not allowed here' },
      ]);
    });

    it('reports every schema error at once', () => {
      const errors = errorsAfter((json) => {
        removeAt(json, '/title/en');
        setAt(json, '/rules/1/priority', 0);
        setAt(json, '/rules/1/conditions/all/0/fact', 'deferred');
      });
      expect(errors.map((e) => e.path)).toEqual([
        '/title/en',
        '/rules/1/priority',
        '/rules/1/conditions/all/0/fact',
      ]);
    });

    it('refuses a shortest deferral longer than the longest, beside the shortest', () => {
      const errors = errorsAfter((json) => setAt(json, '/parameters/minDeferralDays/value', 31));
      expect(errors).toEqual([
        {
          path: '/parameters/minDeferralDays/value',
          message: 'must not be more than maxDeferralDays (30)',
        },
      ]);
    });

    it('loads a shortest deferral equal to the longest', () => {
      const json = defaultPolicyJson();
      setAt(json, '/parameters/minDeferralDays/value', 30);
      expect(loadPolicy(JSON.stringify(json)).ok).toBe(true);
    });

    it('refuses, rather than throws, when a check fails unexpectedly', () => {
      const spy = jest.spyOn(semantics, 'semanticErrors').mockImplementation(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });
      try {
        expect(loadPolicy(defaultPolicyText())).toEqual({
          ok: false,
          errors: [
            {
              path: '',
              message: 'could not be checked (RangeError: Maximum call stack size exceeded)',
            },
          ],
        });
      } finally {
        spy.mockRestore();
      }
    });

    it('refuses a root condition that is not all, any or not', () => {
      const errors = errorsAfter((json) =>
        setAt(json, '/rules/1/conditions', {
          fact: 'alreadyDeferred',
          operator: 'equal',
          value: true,
        }),
      );
      expect(errors.map((e) => e.path)).toContain('/rules/1/conditions/not');
    });
  });
});
