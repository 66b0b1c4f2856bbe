import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

const translations = (lang: string) =>
  JSON.parse(
    readFileSync(join(ROOT, 'src', 'web', 'i18n', lang, 'auditPolicy.json'), 'utf8'),
  ) as Tree;

/** Every template under templates/ (the decision page links the history too). */
function templates(dir = join(ROOT, 'templates')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templates(join(dir, entry.name))
      : entry.name.endsWith('.hbs')
        ? [readFileSync(join(dir, entry.name), 'utf8')]
        : [],
  );
}

describe('policy history translations', () => {
  const nb = keys(translations('nb'));

  it('have the same keys in nb, nn and en', () => {
    expect(keys(translations('nn')).sort()).toEqual([...nb].sort());
    expect(keys(translations('en')).sort()).toEqual([...nb].sort());
  });

  it('hold every key the templates name', () => {
    const used = new Set<string>();
    for (const source of templates())
      for (const [, key] of source.matchAll(/'auditPolicy\.([A-Za-z0-9_.]+[A-Za-z0-9])'/g))
        used.add(key);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((k) => !nb.includes(k))).toEqual([]);
  });

  it('name every kind of draft, change and part of the file the pages build keys for', () => {
    const built = [
      ...['change', 'import', 'rollback'].map((k) => `kind.${k}`),
      ...['added', 'removed', 'changed'].map((c) => `diff.change.${c}`),
      ...['id', 'version', 'title', 'description', 'notice'].map((w) => `diff.fields.${w}`),
    ];
    expect(built.filter((k) => !nb.includes(k))).toEqual([]);
  });
});
