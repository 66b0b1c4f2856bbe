import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, for specs that read templates and translations beside the code. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** A translation file: nested objects ending in strings. */
export type TranslationTree = { [key: string]: string | TranslationTree };

/** Every key of a tree, dotted (`run.progress`), leaves only. */
export function translationKeys(tree: TranslationTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : translationKeys(v, `${prefix}${k}.`),
  );
}

/** The namespace file `src/web/i18n/<lang>/<namespace>.json`, parsed. */
export function translationNamespace(lang: string, namespace: string): TranslationTree {
  return JSON.parse(
    readFileSync(join(REPO_ROOT, 'src', 'web', 'i18n', lang, `${namespace}.json`), 'utf8'),
  ) as TranslationTree;
}
