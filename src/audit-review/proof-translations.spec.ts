import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROOF_PROBLEM_CODES } from '../audit';
import { CHAIN_ANSWERS, PROOF_INPUT_PROBLEMS } from './proof-check';
import { REPO_ROOT, translationKeys, translationNamespace } from '../../test/support/translations';

const ROOT = REPO_ROOT;
const keys = translationKeys;
const translations = (lang: string) => translationNamespace(lang, 'proof');

/** The templates that show a proof's texts: the resident's case page and the auditors' pages. */
const TEMPLATES = [
  'pages/case.hbs',
  'pages/proof-not-ready.hbs',
  'pages/audit/proof.hbs',
  'pages/audit/decision.hbs',
  'partials/audit-nav.hbs',
].map((file) => readFileSync(join(ROOT, 'templates', file), 'utf8'));

describe('proof translations', () => {
  const nb = keys(translations('nb'));

  it('have the same keys in nb, nn and en', () => {
    expect(keys(translations('nn')).sort()).toEqual([...nb].sort());
    expect(keys(translations('en')).sort()).toEqual([...nb].sort());
  });

  it('hold every key the templates name', () => {
    const used = TEMPLATES.flatMap((source) =>
      [...source.matchAll(/'proof\.([A-Za-z0-9_.]+[A-Za-z0-9])'/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((k) => !nb.includes(k))).toEqual([]);
  });

  it('say every problem, chain answer and verdict the auditors’ page builds a key for', () => {
    const built = [
      ...PROOF_INPUT_PROBLEMS.map((p) => `audit.problems.${p}`),
      ...PROOF_PROBLEM_CODES.map((c) => `audit.reasons.${c}`),
      ...CHAIN_ANSWERS.map((a) => `audit.chain.${a}`),
      ...['verified', 'chainDiffers', 'failed'].map((v) => `audit.verdict.${v}`),
    ];
    expect(built.filter((k) => !nb.includes(k))).toEqual([]);
  });
});
