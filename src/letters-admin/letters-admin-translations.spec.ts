import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, translationKeys, translationNamespace } from '../../test/support/translations';
import { LETTER_FIELDS } from './letter-settings-form';

const translations = (lang: string) => translationNamespace(lang, 'staffLetters');

/** Every `staffLetters.…` key the page, its partial and this feature name, built ones included. */
function keysUsed(): Set<string> {
  const sources = [
    readFileSync(join(REPO_ROOT, 'templates', 'pages', 'staff', 'letter-settings.hbs'), 'utf8'),
    readFileSync(join(REPO_ROOT, 'templates', 'pages', 'staff', 'home.hbs'), 'utf8'),
    ...readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8')),
  ];
  const used = new Set<string>();
  for (const source of sources)
    for (const [, key] of source.matchAll(/'staffLetters\.([A-Za-z0-9.]+[A-Za-z0-9])'/g))
      used.add(key);
  for (const channel of ['email', 'svarut']) used.add(`channels.${channel}`);
  for (const field of LETTER_FIELDS) {
    used.add(`errors.${field}`);
    if (field !== 'channel') used.add(`change.fields.${field}`);
  }
  return used;
}

describe('staffLetters translations', () => {
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
});
