import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_REASONS } from './verification-outcome';
import { RUN_STATUSES } from './verification-run.entity';
import {
  REPO_ROOT,
  type TranslationTree,
  translationKeys,
  translationNamespace,
} from '../../../test/support/translations';

const ROOT = REPO_ROOT;
type Tree = TranslationTree;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'auditVerify');
const lookup = (tree: Tree, key: string) =>
  key.split('.').reduce<Tree | string | undefined>((node, part) => (node as Tree)?.[part], tree);
const TEMPLATES = [
  'templates/pages/audit/verify.hbs',
  'templates/pages/audit/verify-run.hbs',
  'templates/partials/audit-verify-period.hbs',
  'templates/partials/audit-verify-status.hbs',
].map((file) => readFileSync(join(ROOT, file), 'utf8'));

describe('auditVerify translations', () => {
  const nb = keys(translations('nb'));

  it('have the same keys and placeholders in nb, nn and en', () => {
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of ['nn', 'en']) {
      expect(keys(translations(lang)).sort()).toEqual([...nb].sort());
      for (const key of nb)
        expect([key, placeholders(lookup(translations(lang), key))]).toEqual([
          key,
          placeholders(lookup(translations('nb'), key)),
        ]);
    }
  });

  it('hold every key the pages name and every reason, status and interruption they build keys for', () => {
    const used = new Set<string>();
    for (const source of TEMPLATES)
      for (const [, key] of source.matchAll(/'auditVerify\.([A-Za-z0-9_.]+[A-Za-z0-9])'/g))
        used.add(key);
    const built = [
      ...FAILURE_REASONS.map((r) => `reasons.${r}`),
      ...RUN_STATUSES.map((s) => `status.${s}`),
      ...['shutdown', 'error', 'stale'].map((w) => `run.interruptedWhy.${w}`),
    ];
    expect([...used, ...built].filter((k) => !nb.includes(k))).toEqual([]);
  });
});
