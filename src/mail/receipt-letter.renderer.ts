import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars, { type HelperOptions } from 'handlebars';
import { TEMPLATES_DIR } from '../config/paths';
import { todayInNorway } from '../shared/calendar-date';
import { renderCheckpointLetter } from './audit-checkpoint-letter';
import type { ResidentLetter } from './case-question-letter';
import {
  LETTER_LANGUAGES,
  type LetterDate,
  type LetterLanguage,
  type RenderedLetter,
} from './deferral-receipt-letter';
import { renderHandoverLetter } from './handover-letter';
import { LetterFormat, localeFor } from './letter-format';
import { LetterTranslations } from './letter-translations';
import { oneLine } from './letter-text';
import { type QuestionView, questionView, type ReceiptView, receiptView } from './letter-views';

export interface ReceiptLetterRendererOptions {
  lettersDir?: string;
  translations?: LetterTranslations;
  /** Overrides the ICU check, to test the nynorsk fallback. */
  isLocaleSupported?: (locale: string) => boolean;
  /** Today's date in Norway, as `YYYY-MM-DD` (tests pin it). */
  today?: () => LetterDate;
}

type Subject = { subject: string };
const languageOf = (options: HelperOptions): LetterLanguage =>
  (options.data?.root as { lang: LetterLanguage }).lang;

/**
 * Renders letters to residents, HTML and plain text, from `templates/letters/`: the deferral
 * receipt (decided by the policy or by an officer) and an officer's question. Plain class (no
 * Nest) so it is tested directly. Templates are compiled once, on a Handlebars instance of its own
 * so its helpers never meet the page views'. The text variant is compiled with `noEscape`: it is
 * not HTML, and `&` must stay `&` there.
 */
export class ReceiptLetterRenderer {
  private readonly receipt: Templates<ReceiptView>;
  private readonly question: Templates<QuestionView>;
  private readonly translations: LetterTranslations;
  private readonly today: () => LetterDate;

  constructor(options: ReceiptLetterRendererOptions = {}) {
    this.today = options.today ?? (() => todayInNorway());
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
    const compile = <V>(name: string): Templates<V> => {
      const read = (file: string, noEscape: boolean) =>
        hb.compile<V & Subject>(readFileSync(join(dir, file), 'utf8'), { noEscape, strict: true });
      return { html: read(`${name}.html.hbs`, false), text: read(`${name}.text.hbs`, true) };
    };
    this.receipt = compile<ReceiptView>('deferral-receipt');
    this.question = compile<QuestionView>('case-question');
  }

  /**
   * A stored job's letter without `kind` is a receipt (jobs queued before there were questions).
   * Throws a TypeError for a letter that cannot be rendered truthfully (a caller's bug).
   */
  render(letter: ResidentLetter): RenderedLetter {
    const kind: unknown = letter.kind;
    if (letter.kind === 'audit-checkpoint')
      return renderCheckpointLetter(letter, this.translations);
    if (letter.kind === 'writeback-handover')
      return renderHandoverLetter(letter, this.translations);
    if (letter.kind === 'case-question') {
      const view = questionView(letter);
      return this.write(this.question, view, 'question.subject', { reference: view.reference });
    }
    if (kind !== undefined && kind !== 'deferral-receipt')
      throw new TypeError(`unknown letter kind ${JSON.stringify(kind)}`);
    const view = receiptView(letter, this.today());
    return view.byOfficer
      ? this.write(this.receipt, view, 'officer.subject', { invoice: view.invoice.title })
      : this.write(this.receipt, view, `subject.${view.outcome}`, { reference: view.reference });
  }

  private write<V extends { lang: LetterLanguage }>(
    templates: Templates<V>,
    fields: V,
    subjectKey: string,
    args: Record<string, string>,
  ): RenderedLetter {
    // One line, whatever the values held: it becomes a mail header and the HTML title.
    const subject = oneLine(this.translations.t(fields.lang, subjectKey, args));
    const view = { ...fields, subject };
    return {
      language: view.lang,
      subject,
      html: templates.html(view),
      text: templates.text(view),
    };
  }
}

interface Templates<V> {
  readonly html: Handlebars.TemplateDelegate<V & Subject>;
  readonly text: Handlebars.TemplateDelegate<V & Subject>;
}
