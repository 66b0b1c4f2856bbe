import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ENTRY_TYPES } from '../audit';
import { ENTRY_DETAILS } from './chain-entries';
import { DECIDERS } from './decision-search.query';
import {
  REPO_ROOT,
  type TranslationTree,
  translationKeys,
  translationNamespace,
} from '../../test/support/translations';

const ROOT = REPO_ROOT;
type Tree = TranslationTree;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'audit');

/** The auditor pages' templates: theirs, and the partials made for them. */
function templates(): string[] {
  const pages = join(ROOT, 'templates', 'pages', 'audit');
  const partials = join(ROOT, 'templates', 'partials');
  return [
    ...readdirSync(pages).map((f) => readFileSync(join(pages, f), 'utf8')),
    ...readdirSync(partials)
      .filter((f) => f.startsWith('audit-'))
      .map((f) => readFileSync(join(partials, f), 'utf8')),
  ];
}

describe('audit translations', () => {
  const nb = keys(translations('nb'));

  it('have the same keys in nb, nn and en', () => {
    expect(keys(translations('nn')).sort()).toEqual([...nb].sort());
    expect(keys(translations('en')).sort()).toEqual([...nb].sort());
  });

  it('hold every key the pages name', () => {
    const used = new Set<string>();
    for (const source of templates())
      for (const [, key] of source.matchAll(/'audit\.([A-Za-z0-9_.]+[A-Za-z0-9])'/g)) used.add(key);
    expect([...used].filter((k) => !nb.includes(k))).toEqual([]);
  });

  it('name every kind of entry, detail, decider, difference and problem the pages build keys for', () => {
    const built = [
      ...AUDIT_ENTRY_TYPES.map((t) => `types.${t.replace(/\./g, '_')}`),
      ...Object.values(ENTRY_DETAILS).flatMap((fields) => fields.map((f) => `detail.${f}`)),
      ...DECIDERS.map((d) => `search.deciders.${d}`),
      ...['outcome', 'newDueDate', 'reason', 'rule', 'reasonOrder', 'ruleOrder'].map(
        (d) => `replay.difference.${d}`,
      ),
      ...['versionMissing', 'versionInvalid', 'versionHash', 'facts'].map(
        (p) => `replay.problems.${p}`,
      ),
      ...['malformed', 'unknown', 'date', 'beforeFrom', 'number', 'missing', 'tooMany'].map(
        (p) => `problems.${p}`,
      ),
      ...['person', 'policy', 'resident', 'system'].map((b) => `by.${b}`),
      ...['nb', 'nn', 'en'].map((l) => `languages.${l}`),
    ];
    expect(built.filter((k) => !nb.includes(k))).toEqual([]);
  });

  it('use only the placeholders bokmål uses, in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const lookup = (tree: Tree, key: string) =>
      key.split('.').reduce<Tree | string>((node, part) => (node as Tree)[part], tree) as string;
    for (const lang of ['nn', 'en'])
      for (const key of nb)
        expect([key, placeholders(lookup(translations(lang), key))]).toEqual([
          key,
          placeholders(lookup(translations('nb'), key)),
        ]);
  });
});
