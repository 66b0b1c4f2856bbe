import { readFileSync } from 'node:fs';
import { type ColorTools, loadColorTools } from './color-tools';
import { accentStylesheet, stylesheetHash } from './theme-stylesheet';

interface Declaration {
  /** The at-rules and selectors around it, outermost first. */
  context: string;
  property: string;
  value: string;
}

/** Enough of a CSS reader for minified theme files: blocks, and declarations inside them. */
function declarations(css: string): Declaration[] {
  const found: Declaration[] = [];
  const stack: string[] = [];
  let text = '';
  const flush = () => {
    const colon = text.indexOf(':');
    if (colon > 0 && stack.length > 0 && !stack[stack.length - 1].startsWith('@')) {
      found.push({
        context: stack.join(' > '),
        property: text.slice(0, colon).trim(),
        value: text.slice(colon + 1).trim(),
      });
    }
    text = '';
  };
  for (const char of css) {
    if (char === '{') {
      stack.push(text.trim().replace(/\s+/g, ' '));
      text = '';
    } else if (char === '}') {
      flush();
      stack.pop();
    } else if (char === ';') flush();
    else text += char;
  }
  return found;
}

const accentTokens = (found: Declaration[]) => {
  const byContext = new Map<string, string[]>();
  for (const { context, property } of found) {
    if (!property.startsWith('--ds-color-accent-')) continue;
    byContext.set(context, [...(byContext.get(context) ?? []), property]);
  }
  return byContext;
};

let tools: ColorTools;
beforeAll(async () => {
  tools = await loadColorTools();
});

describe('accentStylesheet', () => {
  it('sets the accent tokens in exactly the layers and selectors of the default theme', () => {
    const theme = readFileSync(require.resolve('@digdir/designsystemet-css/theme'), 'utf8');
    const expected = accentTokens(declarations(theme));
    expect(expected.size).toBe(4); // light and dark, each set directly and for `auto`

    const ours = declarations(accentStylesheet(tools, '#0b5e7a'));

    expect(accentTokens(ours)).toEqual(expected);
    expect(ours.every(({ property }) => property.startsWith('--ds-color-accent-'))).toBe(true);
  });

  it('holds the scale Designsystemet generates for the colour in each scheme', () => {
    const ours = declarations(accentStylesheet(tools, '#8b1e2d'));
    for (const scheme of ['light', 'dark'] as const) {
      for (const { name, hex } of tools.generateColorScale('#8b1e2d', scheme)) {
        const set = ours.filter(
          ({ context, property }) =>
            context.includes(`color-scheme.${scheme}`) && property === `--ds-color-accent-${name}`,
        );
        expect(set.map(({ value }) => value)).toEqual([hex, hex]);
      }
    }
  });
});

describe('stylesheetHash', () => {
  it('is 16 hex digits of sha256 and differs between stylesheets', () => {
    const a = stylesheetHash(accentStylesheet(tools, '#0b5e7a'));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(stylesheetHash(accentStylesheet(tools, '#8b1e2d'))).not.toBe(a);
    expect(stylesheetHash(accentStylesheet(tools, '#0b5e7a'))).toBe(a);
  });
});
