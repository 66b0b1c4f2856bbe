import type { I18nService } from 'nestjs-i18n';

type Tree = { [key: string]: unknown };

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The `t` helper's lookups, made once: a page calls `t` a hundred times, and nestjs-i18n walks
 * the translation tree, checks for plural forms and scans for nested `$t()` on every call. Our
 * translations use neither plurals nor nesting (a test holds every key to nestjs-i18n's answer),
 * so the string per language and key is cached and its `{name}` placeholders filled here. A key
 * not found is left to nestjs-i18n, fallbacks and all.
 */
export class TemplateTranslator {
  private readonly cache = new Map<string, string | null>();
  private readonly trees: Record<string, Tree>;

  constructor(private readonly i18n: I18nService<Record<string, unknown>>) {
    this.trees = i18n.getTranslations() as unknown as Record<string, Tree>;
  }

  t(key: string, lang: string, args?: Record<string, unknown>): string {
    const cacheKey = `${lang}\u0000${key}`;
    let template = this.cache.get(cacheKey);
    if (template === undefined) {
      template = this.lookup(key, lang);
      this.cache.set(cacheKey, template);
    }
    if (template === null) return this.i18n.t(key, { lang, args });
    if (!args || !template.includes('{')) return template;
    // As string-format (nestjs-i18n's formatter) does: a missing argument becomes empty.
    return template.replace(PLACEHOLDER, (_whole, name: string) => {
      const value = args[name];
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return value === undefined || value === null ? '' : JSON.stringify(value);
    });
  }

  private lookup(key: string, lang: string): string | null {
    let node: unknown = this.trees[lang];
    for (const part of key.split('.')) {
      if (node === null || typeof node !== 'object') return null;
      node = (node as Tree)[part];
    }
    return typeof node === 'string' && !node.includes('$t(') ? node : null;
  }
}
