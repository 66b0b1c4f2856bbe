import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { I18N_DIR } from '../config/paths';
import { caseReferenceOf, explainWritebackError } from './writeback-error-explanation';

type Tree = { [key: string]: unknown };
const TRANSLATIONS = Object.fromEntries(
  ['nb', 'nn', 'en'].map((lang) => [
    lang,
    JSON.parse(readFileSync(join(I18N_DIR, lang, 'staffWriteback.json'), 'utf8')) as Tree,
  ]),
);

/** The text under `staffWriteback.<path>` in a language, or undefined. */
function text(lang: string, key: string): unknown {
  const [namespace, ...path] = key.split('.');
  expect(namespace).toBe('staffWriteback');
  return path.reduce<unknown>(
    (node, part) => (node as Tree | undefined)?.[part],
    TRANSLATIONS[lang],
  );
}

const CODES = [
  'rejected:INVOICE_PAID',
  'rejected:INVOICE_IN_DEBT_COLLECTION',
  'rejected:DUE_DATE_NOT_LATER',
  'rejected:DUE_DATE_TOO_LATE',
  'rejected:IDEMPOTENCY_KEY_REUSED',
  'rejected:INVALID_REQUEST',
  'rejected:SOMETHING_NEW',
  'not-found:invoice',
  'not-found:municipality',
  'not-found:customer',
  'unavailable:timeout',
  'unavailable:network',
  'unavailable:server-error',
  'unavailable:rate-limited',
  'unavailable:bad-response',
  'unavailable:circuit-open',
  'unavailable:unauthorized',
  'unavailable:not-configured',
  'unavailable:solar-flare',
  'invalid-command',
  'unexpected:RangeError',
  'surprise',
  null,
];

describe(explainWritebackError, () => {
  it('explains a known rejection by its reason code, keeping the code as stored', () => {
    expect(explainWritebackError('rejected:INVOICE_PAID')).toEqual({
      key: 'staffWriteback.error.rejected.INVOICE_PAID',
      hintKey: 'staffWriteback.hint.rejected',
      detail: 'INVOICE_PAID',
      code: 'rejected:INVOICE_PAID',
    });
  });

  it('explains an unknown reason code as a refusal that names the code', () => {
    expect(explainWritebackError('rejected:SOMETHING_NEW')).toMatchObject({
      key: 'staffWriteback.error.rejected.other',
      detail: 'SOMETHING_NEW',
    });
  });

  it('tells not found, unavailable, a malformed command and an unexpected error apart', () => {
    expect(explainWritebackError('not-found:invoice').key).toBe(
      'staffWriteback.error.notFound.invoice',
    );
    expect(explainWritebackError('unavailable:server-error')).toMatchObject({
      key: 'staffWriteback.error.unavailable.server-error',
      hintKey: 'staffWriteback.hint.unavailable',
    });
    expect(explainWritebackError('unavailable:solar-flare').key).toBe(
      'staffWriteback.error.unavailable.other',
    );
    expect(explainWritebackError('invalid-command').key).toBe(
      'staffWriteback.error.invalidCommand',
    );
    expect(explainWritebackError('unexpected:RangeError')).toMatchObject({
      key: 'staffWriteback.error.unexpected',
      detail: 'RangeError',
    });
  });

  it('still shows a code it does not know, or says there is none', () => {
    expect(explainWritebackError('surprise')).toMatchObject({
      key: 'staffWriteback.error.unknown',
      code: 'surprise',
    });
    expect(explainWritebackError(null)).toMatchObject({
      key: 'staffWriteback.error.unknown',
      code: '',
    });
  });

  it.each(['nb', 'nn', 'en'])('has a sentence and a hint in %s for every kind of code', (lang) => {
    for (const code of CODES) {
      const { key, hintKey } = explainWritebackError(code);
      expect({ code, key, text: typeof text(lang, key) }).toEqual({ code, key, text: 'string' });
      expect({ code, hintKey, text: typeof text(lang, hintKey) }).toEqual({
        code,
        hintKey,
        text: 'string',
      });
    }
  });
});

describe(caseReferenceOf, () => {
  it('finds the case reference in the reason the deferral gave', () => {
    expect(caseReferenceOf('Betalingsutsettelse UTS-7K3M-Q9TX')).toBe('UTS-7K3M-Q9TX');
  });

  it('shows the whole reason when it holds no case reference', () => {
    expect(caseReferenceOf('Manuell endring')).toBe('Manuell endring');
  });
});
