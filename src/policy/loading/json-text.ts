import { jsonTooDeep, MAX_JSON_DEPTH } from './policy-nesting';

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly message: string;
      readonly line: number;
      readonly column: number;
    };

/**
 * JSON.parse, and on failure a line and column an officer can find in an editor. V8's own message
 * names a position for some mistakes and not others, so the first error is located by a small scanner.
 */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const { offset, message } = locateError(text);
    const before = text.slice(0, offset).split('\n');
    return {
      ok: false,
      message,
      line: before.length,
      column: before[before.length - 1].length + 1,
    };
  }
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function locateError(text: string): { offset: number; message: string } {
  let i = 0;
  // The scanner recurses; past the loader's own depth limit the text would be refused anyway.
  let depth = 0;
  const fail = (message: string): never => {
    throw new Stop(
      i,
      i >= text.length ? 'unexpected end of text' : `${message}, found ${JSON.stringify(text[i])}`,
    );
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (!text.startsWith(word, i)) fail(`expected ${word}`);
    i += word.length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('line break or control character inside a string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('bad escape');
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('expected a value');
    i += match![0].length;
  };
  const sequence = (close: string, item: () => void, what: string) => {
    if (++depth > MAX_JSON_DEPTH) throw new Stop(i, jsonTooDeep(MAX_JSON_DEPTH));
    i++;
    space();
    if (text[i] !== close) {
      for (;;) {
        item();
        space();
        if (text[i] !== ',') break;
        i++;
        space();
      }
      if (text[i] !== close) fail(`expected ',' or '${close}' after ${what}`);
    }
    i++;
    depth--;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      sequence(
        '}',
        () => {
          if (text[i] !== '"') fail('expected a property name in double quotes');
          string();
          space();
          if (text[i] !== ':') fail("expected ':' after property name");
          i++;
          value();
        },
        'a property',
      );
    } else if (char === '[') sequence(']', value, 'an item');
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    if (i < text.length) fail('unexpected text after the end');
    return { offset: 0, message: 'not valid JSON' };
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}
