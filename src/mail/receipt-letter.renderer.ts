import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars, { type HelperOptions } from 'handlebars';
import { TEMPLATES_DIR } from '../config/paths';
import {
  LETTER_LANGUAGES,
  type DeferralReceiptLetter,
  type LetterLanguage,
  type RenderedLetter,
} from './deferral-receipt-letter';
import { LetterFormat, localeFor } from './letter-format';
import { LetterTranslations } from './letter-translations';

const OUTCOMES = new Set(['approved', 'rejected', 'manual_review']);

export interface ReceiptLetterRendererOptions {
  lettersDir?: string;
  translations?: LetterTranslations;
  /** Overrides the ICU check, to test the nynorsk fallback. */
  isLocaleSupported?: (locale: string) => boolean;
}

type View = ReturnType<typeof toView> & { subject: string };
const languageOf = (options: HelperOptions): LetterLanguage => (options.data?.root as View).lang;

/**
 * Renders the deferral receipt, HTML and plain text, from `templates/letters/`. Plain class (no
 * Nest) so it is tested directly. Templates are compiled once, on a Handlebars instance of its own
 * so its helpers never meet the page views'. The text variant is compiled with `noEscape`: it is
 * not HTML, and `&` must stay `&` there.
 */
export class ReceiptLetterRenderer {
  private readonly html: Handlebars.TemplateDelegate<View>;
  private readonly text: Handlebars.TemplateDelegate<View>;
  private readonly translations: LetterTranslations;

  constructor(options: ReceiptLetterRendererOptions = {}) {
    const dir = options.lettersDir ?? join(TEMPLATES_DIR, 'letters');
    const translations = (this.translations = options.translations ?? LetterTranslations.load());
    const formats = Object.fromEntries(
      LETTER_LANGUAGES.map((lang) => [
        lang,
        new LetterFormat(localeFor(lang, options.isLocaleSupported)),
      ]),
    ) as Record<LetterLanguage, LetterFormat>;

    const hb = Handlebars.create();
    hb.registerHelper('t', function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as HelperOptions;
      return translations.t(
        languageOf(options),
        args.map(String).join('.'),
        options.hash as Record<string, unknown>,
      );
    });
    hb.registerHelper('money', (ore: number, options: HelperOptions) =>
      formats[languageOf(options)].formatMoney(ore),
    );
    // null formats as nothing: `lead` passes both dates and only the outcome's text uses them.
    hb.registerHelper('date', (date: string | null, options: HelperOptions) =>
      date === null || date === undefined ? '' : formats[languageOf(options)].formatDate(date),
    );
    hb.registerHelper('upper', (text: string, options: HelperOptions) =>
      formats[languageOf(options)].upper(String(text)),
    );
    const compile = (file: string, noEscape: boolean) =>
      hb.compile<View>(readFileSync(join(dir, file), 'utf8'), { noEscape, strict: true });
    this.html = compile('deferral-receipt.html.hbs', false);
    this.text = compile('deferral-receipt.text.hbs', true);
  }

  /** Throws a TypeError for a letter that cannot be rendered truthfully (a caller's bug). */
  render(letter: DeferralReceiptLetter): RenderedLetter {
    const fields = toView(letter);
    const subject = this.translations.t(fields.lang, `subject.${fields.outcome}`, {
      reference: fields.reference,
    });
    const view = { ...fields, subject };
    return {
      language: view.lang,
      subject: view.subject,
      html: this.html(view),
      text: this.text(view),
    };
  }
}

/**
 * Copies only the fields a letter shows, so nothing else the caller's object carries (an identity
 * number, say) can reach a template.
 */
function toView(letter: DeferralReceiptLetter) {
  const lang: LetterLanguage = LETTER_LANGUAGES.includes(letter.language) ? letter.language : 'nb';
  if (!OUTCOMES.has(letter.outcome))
    throw new TypeError(`unknown outcome ${JSON.stringify(letter.outcome)}`);
  if (letter.outcome === 'approved' && !letter.newDueDate)
    throw new TypeError('an approval needs newDueDate');
  if (!isHttpUrl(letter.caseUrl)) throw new TypeError('caseUrl must be an absolute http(s) URL');
  return {
    lang,
    outcome: letter.outcome,
    municipality: {
      name: letter.municipality.name,
      contactEmail: letter.municipality.contactEmail,
      contactPhone: letter.municipality.contactPhone,
    },
    invoice: {
      number: letter.invoice.number,
      title: letter.invoice.title,
      amountOre: letter.invoice.amountOre,
    },
    originalDueDate: letter.originalDueDate,
    newDueDate: letter.outcome === 'approved' ? letter.newDueDate : null,
    reasons: [...letter.reasons].map(String),
    notices: [...letter.notices].map(String),
    reference: letter.reference,
    caseUrl: letter.caseUrl,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
