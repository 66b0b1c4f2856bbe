import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, translationKeys, translationNamespace } from '../../test/support/translations';

const ROOT = REPO_ROOT;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'auditPolicy');

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
