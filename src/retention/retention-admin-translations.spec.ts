import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, translationKeys, translationNamespace } from '../../test/support/translations';

const translations = (lang: string) => translationNamespace(lang, 'staffRetention');

/** Every `staffRetention.…` key the page, the staff front page and this feature name. */
function keysUsed(): Set<string> {
  const sources = [
    readFileSync(join(REPO_ROOT, 'templates', 'pages', 'staff', 'retention-settings.hbs'), 'utf8'),
    readFileSync(join(REPO_ROOT, 'templates', 'pages', 'staff', 'home.hbs'), 'utf8'),
    ...readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8')),
  ];
  const used = new Set<string>();
  for (const source of sources)
    for (const [, key] of source.matchAll(/'staffRetention\.([A-Za-z0-9.]+[A-Za-z0-9])'/g))
      used.add(key);
  // Built in the page model: `staffRetention.errors.${refusal}`.
  for (const refusal of ['years', 'confirm']) used.add(`errors.${refusal}`);
  // Plural forms, chosen by `count`.
  for (const plural of ['confirm.warning', 'confirm.label']) {
    used.delete(plural);
    for (const form of ['one', 'other']) used.add(`${plural}.${form}`);
  }
  return used;
}

describe('staffRetention translations', () => {
  it('have the same keys in nb, nn and en', () => {
    const nb = translationKeys(translations('nb')).sort();
    expect(translationKeys(translations('nn')).sort()).toEqual(nb);
    expect(translationKeys(translations('en')).sort()).toEqual(nb);
  });

  it('hold every key the page uses, and nothing it does not', () => {
    const used = keysUsed();
    const nb = translationKeys(translations('nb'));
    expect([...used].filter((k) => !nb.includes(k))).toEqual([]);
    expect(nb.filter((k) => !used.has(k))).toEqual([]);
  });

  it('give every placeholder the page fills in each language', () => {
    for (const lang of ['nb', 'nn', 'en']) {
      const t = translations(lang) as Record<string, Record<string, Record<string, string>>>;
      expect(t.now.own).toContain('{years}');
      expect(t.change.hint).toContain('{years}');
      for (const form of ['one', 'other']) {
        expect(t.confirm.warning[form]).toMatch(/\{years\}.*\{n\}/s);
        expect(t.confirm.label[form]).toContain('{n}');
      }
    }
  });
});
