import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGE_BANDS, OUTCOME_KINDS } from '../deferrals';
import {
  REPO_ROOT,
  type TranslationTree,
  translationKeys,
  translationNamespace,
} from '../../test/support/translations';

const ROOT = REPO_ROOT;
type Tree = TranslationTree;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'staffOverview');

/** Every `staffOverview.…` key the page and its code name, those built from a kind included. */
function keysUsed(): Set<string> {
  const sources = [
    readFileSync(join(ROOT, 'templates', 'pages', 'staff', 'overview.hbs'), 'utf8'),
    readFileSync(join(ROOT, 'templates', 'pages', 'staff', 'home.hbs'), 'utf8'),
    ...readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8')),
  ];
  const used = new Set<string>();
  for (const source of sources)
    for (const [, key] of source.matchAll(/'staffOverview\.([A-Za-z0-9.]+[A-Za-z0-9])'/g))
      used.add(key);
  for (const kind of OUTCOME_KINDS) used.add(`outcomes.${kind}`);
  for (const band of AGE_BANDS) used.add(`ages.${band.key}`);
  for (const unit of ['minutes', 'hours', 'days']) used.add(`duration.${unit}`);
  for (const chart of ['weekly', 'ages', 'failures'])
    for (const part of ['heading', 'yAxis', 'empty', 'caption'])
      used.add(`charts.${chart}.${part}`);
  return used;
}

describe('staffOverview translations', () => {
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

  it('use only the placeholders bokmål uses, in every language', () => {
    const nb = translations('nb');
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const lookup = (tree: Tree, key: string) =>
      key.split('.').reduce<Tree | string>((node, part) => (node as Tree)[part], tree) as string;
    for (const lang of ['nn', 'en'])
      for (const key of keys(nb))
        expect([key, placeholders(lookup(translations(lang), key))]).toEqual([
          key,
          placeholders(lookup(nb, key)),
        ]);
  });
});
