import { translate } from './form-errors';
import { loadPolicy, couldNotBeChecked } from '../loading/policy-loader';
import { conditionsTooDeep, jsonTooDeep } from '../loading/policy-nesting';
import { readPolicySchema } from '../loading/policy-schema.validator';
import { semanticErrors } from '../loading/policy-semantics.validator';
import { SEMANTIC_MESSAGES, type SemanticMessage } from '../loading/semantic-messages';
import type { Policy } from '../policy.types';
import { defaultPolicyJson, getAt, setAt } from '../policy.test-factory';

type Change = (json: Record<string, unknown>) => void;

const parameter = (name: string) => ({ fact: 'parameters', path: `$.${name}` });
/** Rule 1's only condition replaced by `condition`. */
const condition =
  (fact: string, operator: string, value: unknown): Change =>
  (json) =>
    setAt(json, '/rules/1/conditions/all/0', { fact, operator, value });

/** A policy that makes each semantic message; a Record, so a new message without a case does not compile. */
const SEMANTIC_CASES: Record<SemanticMessage, Change> = {
  duplicateRuleName: (json) => setAt(json, '/rules/4/name', getAt(json, '/rules/3/name')),
  unknownEventType: (json) => setAt(json, '/rules/2/event/type', 'approved'),
  unknownParameter: (json) => setAt(json, '/rules/7/event/params/parameter', 'maxAmount'),
  duplicateNoticeCode: (json) => setAt(json, '/notices/1/code', getAt(json, '/notices/0/code')),
  listOperatorOnSingleValue: condition(
    'invoiceStatus',
    'contains',
    parameter('openInvoiceStatuses'),
  ),
  trueFalseComparison: condition('amountOre', 'equal', true),
  listOfWrongKind: condition('invoiceType', 'in', parameter('openInvoiceStatuses')),
  dateWithParameter: condition('dueDate', 'lessThan', parameter('maxDeferralDays')),
  needsListParameter: condition('invoiceStatus', 'equal', parameter('maxDeferralDays')),
  parameterUnitMismatch: condition('amountOre', 'lessThan', parameter('maxDeferralDays')),
  listOperatorWithFact: condition('invoiceStatus', 'in', { fact: 'invoiceType' }),
  cannotOrder: condition('invoiceType', 'lessThan', { fact: 'invoiceType' }),
  factUnitMismatch: condition('amountOre', 'lessThan', { fact: 'requestedDays' }),
  shortestAboveLongest: (json) => setAt(json, '/parameters/minDeferralDays/value', 31),
};

/** A policy that breaks each keyword of the JSON Schema that can fail; each pattern on its own. */
const SCHEMA_CASES: Record<string, Change> = {
  type: (json) => setAt(json, '/parameters/maxAmountOre/value', 'mye'),
  required: (json) => setAt(json, '/title', { nb: 'Tittel', nn: 'Tittel' }),
  additionalProperties: (json) => setAt(json, '/rules/1/onSuccess', 'x'),
  propertyNames: (json) =>
    setAt(json, '/parameters/Bad-Name', getAt(json, '/parameters/maxAmountOre')),
  enum: (json) => setAt(json, '/rules/2/event/type', 'approved'),
  const: (json) => setAt(json, '/parameters/minDeferralDays/unit', 'count'),
  'pattern (slug)': (json) => setAt(json, '/rules/1/name', 'Reject Already Deferred'),
  'pattern (version)': (json) => setAt(json, '/version', 'v2026'),
  'pattern (text)': (json) => setAt(json, '/title/nn', '   '),
  'pattern (parameter path)': (json) =>
    setAt(json, '/rules/7/conditions/all/0/value/path', 'maxAmountOre'),
  minLength: (json) => setAt(json, '/title/nb', ''),
  maxLength: (json) => setAt(json, '/id', 'x'.repeat(65)),
  minimum: (json) => setAt(json, '/parameters/maxAmountOre/value', -1),
  maximum: (json) => setAt(json, '/rules/1/priority', 1001),
  minItems: (json) => setAt(json, '/notices/0/showOn', []),
  uniqueItems: (json) => setAt(json, '/notices/0/showOn', ['approved', 'approved']),
  not: (json) => setAt(json, '/rules/7/conditions/all/0/value', { fact: 'amountOre', path: '$.x' }),
};

/** Keywords that only hold others, so they fail through them. */
const STRUCTURAL = [
  '$schema',
  '$id',
  'title',
  'description',
  '$defs',
  '$ref',
  'properties',
  'items',
  'allOf',
  'anyOf',
  'if',
  'then',
  'else',
];

function schemaKeywords(schema: unknown, into = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return into;
  for (const [keyword, value] of Object.entries(schema)) {
    into.add(keyword);
    if (keyword === 'properties' || keyword === '$defs')
      Object.values(value as object).forEach((child) => schemaKeywords(child, into));
    else if (keyword === 'allOf' || keyword === 'anyOf')
      (value as unknown[]).forEach((child) => schemaKeywords(child, into));
    else if (keyword !== 'enum' && keyword !== 'const' && keyword !== 'required')
      schemaKeywords(value, into);
  }
  return into;
}

function errorsAfter(
  change: Change,
  load: (json: Record<string, unknown>) => readonly { message: string }[],
) {
  const json = defaultPolicyJson();
  change(json);
  return load(json).map((e) => e.message);
}

function expectNorwegian(message: string): void {
  const text = translate(message);
  expect(text.nb).not.toBe(text.en);
  expect(text.nn).not.toBe(text.en);
  expect(text.nb).not.toBe(message);
  expect(text.nn).not.toBe(message);
  expect(text.nb).not.toBe(text.nn);
  expect(`${text.nb} ${text.nn} ${text.en}`).not.toMatch(/undefined/);
}

describe('translations of the loader messages', () => {
  describe('semantic checks', () => {
    it.each(Object.keys(SEMANTIC_CASES) as SemanticMessage[])('%s is said in nb and nn', (key) => {
      const spy = jest.spyOn(SEMANTIC_MESSAGES, key);
      try {
        // Straight to the semantic checks: some (an unknown event type) the schema refuses first.
        const messages = errorsAfter(SEMANTIC_CASES[key], (json) =>
          semanticErrors(json as unknown as Policy),
        );
        expect(spy).toHaveBeenCalled();
        expect(messages).toContain(spy.mock.results[0].value);
        messages.forEach(expectNorwegian);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('the JSON Schema', () => {
    it('has a case for every keyword the schema uses', () => {
      const cased = new Set(Object.keys(SCHEMA_CASES).map((name) => name.split(' ')[0]));
      const keywords = [...schemaKeywords(readPolicySchema())].filter(
        (k) => !STRUCTURAL.includes(k),
      );
      expect(keywords.filter((k) => !cased.has(k))).toEqual([]);
    });

    it.each(Object.keys(SCHEMA_CASES))('%s is said in nb and nn', (name) => {
      const messages = errorsAfter(SCHEMA_CASES[name], (json) => {
        const result = loadPolicy(JSON.stringify(json));
        return result.ok ? [] : result.errors;
      });
      expect(messages.length).toBeGreaterThan(0);
      messages.forEach(expectNorwegian);
    });
  });

  it.each([
    ['nesting of conditions', conditionsTooDeep(32)],
    ['nesting of JSON', jsonTooDeep(72)],
    ['a check that failed', couldNotBeChecked('RangeError: Maximum call stack size exceeded')],
  ])('%s is said in nb and nn', (_name, message) => expectNorwegian(message));
});
