import { z } from 'zod';
import { toRecipient } from '../../mail';

const text = z.string().trim().min(1).max(1000);
const localized = z.object({ nb: text, nn: text, en: text }).strict();

const schema = z
  .object({
    /** What the resident is told to expect: "usually answered within N days". */
    usualAnswerDays: z.number().int().min(1).max(90).default(10),
    /** The officer time one case decided by hand takes: the dashboard's "hours saved" per automatic decision. */
    minutesPerManualCase: z.number().min(1).max(600).default(10),
    /** After this long without a decision, another officer may take a case over. */
    claimStaleHours: z.number().int().min(1).max(720).default(24),
    /** The municipality's standard reasons for a rejection, in all three languages. */
    rejectionTexts: z
      .array(
        z
          .object({
            code: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a code of a–z, 0–9 and -'),
            label: localized,
            text: localized,
          })
          .strict(),
      )
      .max(50)
      .optional(),
    /**
     * The finance team's mailbox: a new due date the finance system cannot take is handed over to
     * them there as well as on the officers' page. Without it, the page alone.
     */
    handoverEmail: z
      .string()
      .refine((value) => toRecipient(value) !== null, 'a plain e-mail address (name@domain.no)')
      .optional(),
  })
  .strict();

export type RejectionText = {
  code: string;
  label: Record<Lang, string>;
  text: Record<Lang, string>;
};
type Lang = 'nb' | 'nn' | 'en';

export interface CaseSettings {
  usualAnswerDays: number;
  minutesPerManualCase: number;
  claimStaleHours: number;
  rejectionTexts: RejectionText[];
  /** Where hand-overs are mailed; null: not mailed. */
  handoverEmail: string | null;
}

/** Used when a municipality has chosen no standard texts of its own. */
export const DEFAULT_REJECTION_TEXTS: RejectionText[] = [
  {
    code: 'collection',
    label: {
      nb: 'Sendt til inkasso',
      nn: 'Send til inkasso',
      en: 'Sent to debt collection',
    },
    text: {
      nb: 'Fakturaen er sendt til inkasso, og da kan ikke kommunen lenger gi utsettelse. Ta kontakt med inkassoselskapet.',
      nn: 'Fakturaen er send til inkasso, og då kan ikkje kommunen lenger gi utsetjing. Ta kontakt med inkassoselskapet.',
      en: 'The invoice has been sent to debt collection, so the municipality can no longer defer it. Please contact the collection agency.',
    },
  },
  {
    code: 'repeated',
    label: {
      nb: 'Mange utsettelser',
      nn: 'Mange utsetjingar',
      en: 'Many deferrals',
    },
    text: {
      nb: 'Du har fått utsettelse flere ganger det siste året. Vi kan derfor ikke gi ny utsettelse nå, men du kan søke om en nedbetalingsavtale.',
      nn: 'Du har fått utsetjing fleire gonger det siste året. Vi kan difor ikkje gi ny utsetjing no, men du kan søkje om ein nedbetalingsavtale.',
      en: 'You have had several deferrals in the past year, so we cannot grant another one now; you may apply for a payment plan instead.',
    },
  },
  {
    code: 'too-long',
    label: {
      nb: 'For lang utsettelse',
      nn: 'For lang utsetjing',
      en: 'Too long a deferral',
    },
    text: {
      nb: 'Vi kan ikke utsette fakturaen så lenge som du ba om. Du kan sende en ny søknad med en tidligere dato.',
      nn: 'Vi kan ikkje utsetje fakturaen så lenge som du bad om. Du kan sende ein ny søknad med ein tidlegare dato.',
      en: 'We cannot defer the invoice for as long as you asked. You may send a new request with an earlier date.',
    },
  },
];

/** A municipality's case settings (`settings.cases`), with defaults; the start-up check refuses bad ones. */
export function caseSettingsOf(settings: Record<string, unknown>): CaseSettings {
  const parsed = schema.safeParse(settings.cases ?? {});
  const value = parsed.success ? parsed.data : schema.parse({});
  return {
    usualAnswerDays: value.usualAnswerDays,
    minutesPerManualCase: value.minutesPerManualCase,
    claimStaleHours: value.claimStaleHours,
    rejectionTexts: value.rejectionTexts ?? DEFAULT_REJECTION_TEXTS,
    handoverEmail: value.handoverEmail === undefined ? null : toRecipient(value.handoverEmail),
  };
}

/** One line naming the municipality and the setting, or undefined when the settings are usable. */
export function caseSettingsProblem(
  slug: string,
  settings: Record<string, unknown>,
): string | undefined {
  const parsed = schema.safeParse(settings.cases ?? {});
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const path = ['cases', ...issue.path.map(String)].join('.');
  return `Municipality ${slug}: settings.${path}: ${issue.message}`;
}
