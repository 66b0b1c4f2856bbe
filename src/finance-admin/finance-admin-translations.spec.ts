import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINANCE_ADAPTERS } from '../finance';
import { REPO_ROOT, translationKeys, translationNamespace } from '../../test/support/translations';

const ROOT = REPO_ROOT;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'staffFinance');

/** Every `staffFinance.…` key the pages and this feature name, those built from a name included. */
function keysUsed(): Set<string> {
  const sources = [
    readFileSync(join(ROOT, 'templates', 'pages', 'staff', 'finance-settings.hbs'), 'utf8'),
    readFileSync(join(ROOT, 'templates', 'pages', 'staff', 'home.hbs'), 'utf8'),
    readFileSync(join(ROOT, 'templates', 'partials', 'nav.hbs'), 'utf8'),
    ...readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8')),
  ];
  const used = new Set<string>();
  for (const source of sources)
    for (const [, key] of source.matchAll(/'staffFinance\.([A-Za-z0-9.]+[A-Za-z0-9])'/g))
      used.add(key);
  for (const adapter of FINANCE_ADAPTERS) used.add(`adapters.${adapter}`);
  for (const field of ['adapter', 'baseUrl', 'vendor']) used.add(`errors.${field}`);
  for (const outcome of [
    'ok',
    'invoiceNotFound',
    'notConfigured',
    'unreachable',
    'refused',
    'badAnswer',
  ])
    used.add(`test.outcome.${outcome}`);
  return used;
}

describe('staffFinance translations', () => {
  it('have the same keys in nb, nn and en', () => {
    const nb = keys(translations('nb')).sort();
    expect(keys(translations('nn')).sort()).toEqual(nb);
    expect(keys(translations('en')).sort()).toEqual(nb);
  });

  it('hold every key the page uses, and nothing it does not', () => {
    const used = keysUsed();
    expect([...used].filter((k) => !keys(translations('nb')).includes(k))).toEqual([]);
    expect(keys(translations('nb')).filter((k) => !used.has(k))).toEqual([]);
  });
});
