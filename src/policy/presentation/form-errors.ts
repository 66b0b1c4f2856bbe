import type { LocalizedText, PolicyError } from '../policy.types';
import { VALIDATOR_TRANSLATIONS } from './validator-messages';

/** The field of errors the parameters form cannot show next to an input: shown at their JSON path. */
export const JSON_FIELD = 'JSON';

export interface PolicyFormError {
  /** A parameter's name, which is its form field's name, or `JSON`. */
  readonly field: string;
  /** JSON Pointer into the policy file; '' for the file as a whole. */
  readonly path: string;
  readonly message: LocalizedText;
  /** For text that is not JSON at all. */
  readonly line?: number;
  readonly column?: number;
}

const PARAMETER_VALUE = /^\/parameters\/([^/]+)\/value(?:\/.*)?$/;

/**
 * Validation errors (loadPolicy: schema and semantic checks) placed for the policy pages: an error
 * in a parameter's value (`/parameters/maxAmountOre/value`, or an item of a list value) belongs to
 * that parameter's field; everything else to `JSON`, with its path. Order is kept.
 */
export function errorsByField(errors: readonly PolicyError[]): PolicyFormError[] {
  return errors.map((error) => {
    const match = PARAMETER_VALUE.exec(error.path);
    const field = match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : JSON_FIELD;
    return {
      field,
      path: error.path,
      message: translate(error.message),
      ...(error.line !== undefined ? { line: error.line, column: error.column } : {}),
    };
  });
}

const COMPARISONS: Record<string, LocalizedText> = {
  '>=': { nb: 'minst', nn: 'minst', en: 'at least' },
  '<=': { nb: 'høyst', nn: 'høgst', en: 'at most' },
  '>': { nb: 'over', nn: 'over', en: 'more than' },
  '<': { nb: 'under', nn: 'under', en: 'less than' },
};

const TYPES: Record<string, LocalizedText> = {
  integer: { nb: 'et helt tall', nn: 'eit heilt tal', en: 'a whole number' },
  number: { nb: 'et tall', nn: 'eit tal', en: 'a number' },
  boolean: { nb: 'true eller false', nn: 'true eller false', en: 'true or false' },
  array: { nb: 'en liste', nn: 'ei liste', en: 'a list' },
  string: { nb: 'en tekst', nn: 'ein tekst', en: 'a text' },
  object: { nb: 'et objekt', nn: 'eit objekt', en: 'an object' },
};

/**
 * The validators speak English; officers read their messages in their own language. The common
 * schema messages are here, the rest in validator-messages.ts; a message no pattern knows keeps the
 * validator's English words, so nothing is lost in translation.
 */
export function translate(message: string): LocalizedText {
  let m: RegExpExecArray | null;
  if (message === 'is required') return { nb: 'Mangler.', nn: 'Manglar.', en: 'Is required.' };
  if (message === 'is not allowed here')
    return { nb: 'Er ikke tillatt her.', nn: 'Er ikkje tillate her.', en: 'Is not allowed here.' };
  if ((m = /^must be (integer|number|boolean|array|string|object)$/.exec(message))) {
    const type = TYPES[m[1]];
    return { nb: `Må være ${type.nb}.`, nn: `Må vere ${type.nn}.`, en: `Must be ${type.en}.` };
  }
  if ((m = /^must be (>=|<=|>|<) (-?\d+)$/.exec(message))) {
    const word = COMPARISONS[m[1]];
    return {
      nb: `Må være ${word.nb} ${m[2]}.`,
      nn: `Må vere ${word.nn} ${m[2]}.`,
      en: `Must be ${word.en} ${m[2]}.`,
    };
  }
  if ((m = /^must be equal to one of the allowed values: (.*)$/.exec(message))) {
    return {
      nb: `Må være en av disse: ${m[1]}.`,
      nn: `Må vere ein av desse: ${m[1]}.`,
      en: `Must be one of: ${m[1]}.`,
    };
  }
  if (message.startsWith('must NOT have duplicate items'))
    return {
      nb: 'Den samme verdien står to ganger.',
      nn: 'Den same verdien står to gonger.',
      en: 'The same value appears twice.',
    };
  if ((m = /^not valid JSON at line (\d+), column (\d+): (.*)$/.exec(message))) {
    return {
      nb: `Ikke gyldig JSON på linje ${m[1]}, kolonne ${m[2]}: ${m[3]}.`,
      nn: `Ikkje gyldig JSON på linje ${m[1]}, kolonne ${m[2]}: ${m[3]}.`,
      en: `Not valid JSON at line ${m[1]}, column ${m[2]}: ${m[3]}.`,
    };
  }
  for (const [pattern, say] of VALIDATOR_TRANSLATIONS) {
    if ((m = pattern.exec(message))) return say(m);
  }
  return { nb: message, nn: message, en: message };
}
