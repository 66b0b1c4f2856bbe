import { parseJsonText } from './json-text';

describe(parseJsonText.name, () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText('{"a": [1, true, null, "x"]}')).toEqual({
      ok: true,
      value: { a: [1, true, null, 'x'] },
    });
  });

  it.each([
    ['a missing value', '{\n  "a": 1,\n  "b": }', 3, 8, /expected a value, found "}"/],
    [
      'a trailing comma in an object',
      '{\n  "a": 1,\n}',
      3,
      1,
      /expected a property name in double quotes/,
    ],
    ['a trailing comma in a list', '[1,\n 2,\n]', 3, 1, /expected a value, found "]"/],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '}' after a property/],
    ['single quotes', "{'a': 1}", 1, 2, /double quotes/],
    ['a line break inside a string', '{"a": "x\ny"}', 1, 9, /control character/],
    ['text after the end', '{}\n}', 2, 1, /unexpected text after the end/],
    ['a file cut short', '{"a": [1, 2', 1, 12, /unexpected end of text/],
    ['an empty file', '', 1, 1, /unexpected end of text/],
    ['a misspelt literal', '{"a": tru}', 1, 7, /expected true/],
  ])('points at line and column of %s', (_name, text, line, column, message) => {
    const result = parseJsonText(text);
    expect(result).toMatchObject({ ok: false, line, column });
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});
