import type { I18nService } from 'nestjs-i18n';

type Tree = { [key: string]: unknown };

const PLACEHOLDER = /\{(\w+)\}/g;

/** nestjs-i18n's plural forms: an object of CLDR categories, chosen by the `count` argument. */
const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;

/**
 * The `t` helper's lookups, made once: a page calls `t` a hundred times, and nestjs-i18n walks
 * the translation tree, checks for plural forms and scans for nested `$t()` on every call. Our
 * translations use no nesting (a test holds every key to nestjs-i18n's answer), so the string (or
 * the plural forms) per language and key is cached, the form chosen by `count` with the
 * language's CLDR rules as nestjs-i18n does, and its `{name}` placeholders filled here. A key not
 * found is left to nestjs-i18n, fallbacks and all.
 */
export class TemplateTranslator {
  /**
   * Per language, per key. Not one map keyed by `lang + key`: building that key on each of a
   * page's ~100 calls cost more than the lookup (the template's keys are literals, hashed once).
   */
  private readonly cache = new Map<string, Map<string, string | PluralForms | null>>();
  private readonly plurals = new Map<string, Intl.PluralRules>();
  private readonly trees: Record<string, Tree>;

  constructor(private readonly i18n: I18nService<Record<string, unknown>>) {
    this.trees = i18n.getTranslations() as unknown as Record<string, Tree>;
  }

  t(key: string, lang: string, args?: Record<string, unknown>): string {
    let known = this.cache.get(lang);
    if (!known) {
      known = new Map();
      this.cache.set(lang, known);
    }
    let template = known.get(key);
    if (template === undefined) {
      template = this.lookup(key, lang);
      known.set(key, template);
    }
    if (typeof template === 'object' && template !== null)
      template = this.pluralForm(template, lang, args?.count);
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

  private lookup(key: string, lang: string): string | PluralForms | null {
    let node: unknown = this.trees[lang];
    for (const part of key.split('.')) {
      if (node === null || typeof node !== 'object') return null;
      node = (node as Tree)[part];
    }
    if (typeof node === 'string') return node.includes('$t(') ? null : node;
    return isPluralForms(node) ? node : null;
  }

  /** The form for `count` (`zero` only if given, as nestjs-i18n), or null to ask nestjs-i18n. */
  private pluralForm(forms: PluralForms, lang: string, count: unknown): string | null {
    if (count === undefined) return null;
    const n = Number(count);
    if (n === 0 && forms.zero !== undefined) return forms.zero;
    let rules = this.plurals.get(lang);
    if (!rules) {
      rules = new Intl.PluralRules(lang);
      this.plurals.set(lang, rules);
    }
    return forms[rules.select(n)] ?? null;
  }
}

function isPluralForms(node: unknown): node is PluralForms {
  if (node === null || typeof node !== 'object') return false;
  const entries = Object.entries(node);
  return (
    entries.length > 0 &&
    entries.every(
      ([category, text]) =>
        PLURAL_CATEGORIES.includes(category) && typeof text === 'string' && !text.includes('$t('),
    )
  );
}
