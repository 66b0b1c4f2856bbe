import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const I18N = join(__dirname, 'i18n');
type Tree = { [key: string]: string | Tree };

function strings(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)));
}

const namespace = (lang: string, file: string) =>
  JSON.parse(readFileSync(join(I18N, lang, file), 'utf8')) as Tree;

/** Every text of a language, with the file it is in. */
function textsOf(lang: string): { file: string; text: string }[] {
  return readdirSync(join(I18N, lang))
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => strings(namespace(lang, file)).map((text) => ({ file, text })));
}

const at = (tree: Tree, path: string) =>
  path.split('.').reduce<string | Tree>((node, key) => (node as Tree)[key], tree) as string;

describe('the wording of the translations', () => {
  it('writes nynorsk with one word for caseworker and for handling: saksbehandlar, behandling', () => {
    // Both pairs are correct nynorsk; mixing them on one page and its letter is not.
    const other = textsOf('nn').filter(({ text }) => /handsam/i.test(text));
    expect(other).toEqual([]);
  });

  it('says "Ingen tilgang" in nynorsk, as the staff pages do', () => {
    const nn = namespace('nn', 'common.json');
    expect(at(nn, 'error.403.title')).toBe('Ingen tilgang');
    expect(textsOf('nn').filter(({ text }) => /\bInga tilgang\b/.test(text))).toEqual([]);
  });

  it.each(['nb', 'nn', 'en'])(
    'calls the case reference by the same name on the receipt page and in the letter (%s)',
    (lang) => {
      const page = at(namespace(lang, 'deferrals.json'), 'case.reference');
      const letters = namespace(lang, 'letters.json');
      expect(at(letters, 'details.reference')).toBe(page);
      // The contact line names it too, in the middle of a sentence.
      expect(at(letters, 'contact.text').toLowerCase()).toContain(page.toLowerCase());
    },
  );
});
