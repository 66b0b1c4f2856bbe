import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { I18N_DIR } from '../config/paths';
import type { LetterLanguage } from './deferral-receipt-letter';

/** The i18n namespace of letter texts: `src/web/i18n/<lang>/letters.json`. */
export const LETTERS_NAMESPACE = 'letters';

type Tree = { readonly [key: string]: string | Tree };

/**
 * Letter texts, read from the same files nestjs-i18n serves (so `letters.*` keys work in pages
 * too), but without Nest, so the renderer can be used and tested on its own. Placeholders are
 * nestjs-i18n's `{name}`. A key missing in nn or en falls back to bokmål; missing everywhere is a
 * bug and throws.
 */
export class LetterTranslations {
  private constructor(private readonly trees: Readonly<Record<LetterLanguage, Tree>>) {}

  static load(i18nDir: string = I18N_DIR): LetterTranslations {
    const read = (language: LetterLanguage): Tree =>
      JSON.parse(
        readFileSync(join(i18nDir, language, `${LETTERS_NAMESPACE}.json`), 'utf8'),
      ) as Tree;
    return new LetterTranslations({ nb: read('nb'), nn: read('nn'), en: read('en') });
  }

  /** `key` with or without the `letters.` prefix, e.g. `letters.subject.approved`. */
  t(language: LetterLanguage, key: string, args: Readonly<Record<string, unknown>> = {}): string {
    const path = key.startsWith(`${LETTERS_NAMESPACE}.`)
      ? key.slice(LETTERS_NAMESPACE.length + 1)
      : key;
    const text = lookup(this.trees[language], path) ?? lookup(this.trees.nb, path);
    if (text === undefined) throw new Error(`Missing translation ${LETTERS_NAMESPACE}.${path}`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in args ? String(args[name]) : whole,
    );
  }

  /** Every key (dotted) in one language; lets tests hold the three files to the same shape. */
  keys(language: LetterLanguage): string[] {
    const out: string[] = [];
    const walk = (tree: Tree, prefix: string) => {
      for (const [key, value] of Object.entries(tree)) {
        if (typeof value === 'string') out.push(prefix + key);
        else walk(value, `${prefix}${key}.`);
      }
    };
    walk(this.trees[language], '');
    return out.sort();
  }
}

function lookup(tree: Tree, path: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string' || !Object.hasOwn(node, part))
      return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}
