import type { FactName, InvoiceStatus, InvoiceType } from '../engine/facts';
import type { EventType, Language, LocalizedText } from '../policy.types';

/**
 * The words the policy pages build sentences from, in all three languages. Kept in TypeScript
 * rather than i18n JSON: a sentence is assembled from parts (subject, verb, negation, value), word
 * order differs between the languages (nb/nn put "ikke" before the verb in a "når" clause), and a
 * `Record<Language, …>` per entry lets the compiler refuse a missing language.
 */

/**
 * A fact as the subject of a clause. Boolean facts also say what holds when the fact is true, as a
 * verb and the rest, so that negation can go where each language wants it.
 */
export interface FactPhrase {
  readonly subject: string;
  readonly whenTrue?: { readonly verb: string; readonly rest: string };
}

type Phrases = Readonly<Record<Language, FactPhrase>>;

export const FACT_PHRASES: Readonly<Record<FactName, Phrases>> = {
  amountOre: {
    nb: { subject: 'beløpet' },
    nn: { subject: 'beløpet' },
    en: { subject: 'the amount' },
  },
  invoiceType: {
    nb: { subject: 'fakturatypen' },
    nn: { subject: 'fakturatypen' },
    en: { subject: 'the invoice type' },
  },
  invoiceStatus: {
    nb: { subject: 'fakturastatusen' },
    nn: { subject: 'fakturastatusen' },
    en: { subject: 'the invoice status' },
  },
  inCollection: {
    nb: { subject: 'fakturaen', whenTrue: { verb: 'er', rest: 'i inkassoløpet' } },
    nn: { subject: 'fakturaen', whenTrue: { verb: 'er', rest: 'i inkassoløpet' } },
    en: { subject: 'the invoice', whenTrue: { verb: 'is', rest: 'in debt collection' } },
  },
  alreadyDeferred: {
    nb: { subject: 'fakturaen', whenTrue: { verb: 'er', rest: 'utsatt fra før' } },
    nn: { subject: 'fakturaen', whenTrue: { verb: 'er', rest: 'utsett frå før' } },
    en: { subject: 'the invoice', whenTrue: { verb: 'has', rest: 'been deferred before' } },
  },
  today: {
    nb: { subject: 'avgjørelsesdatoen' },
    nn: { subject: 'avgjerdsdatoen' },
    en: { subject: 'the decision date' },
  },
  dueDate: {
    nb: { subject: 'forfallsdatoen' },
    nn: { subject: 'forfallsdatoen' },
    en: { subject: 'the due date' },
  },
  requestedDueDate: {
    nb: { subject: 'den ønskede nye forfallsdatoen' },
    nn: { subject: 'den ønskte nye forfallsdatoen' },
    en: { subject: 'the requested new due date' },
  },
  daysUntilDue: {
    nb: { subject: 'tiden til forfall' },
    nn: { subject: 'tida til forfall' },
    en: { subject: 'the time until the due date' },
  },
  daysPastDue: {
    nb: { subject: 'tiden siden forfall' },
    nn: { subject: 'tida sidan forfall' },
    en: { subject: 'the time since the due date' },
  },
  requestedDays: {
    nb: { subject: 'utsettelsen' },
    nn: { subject: 'utsetjinga' },
    en: { subject: 'the deferral' },
  },
  deferralsLast6Months: {
    nb: { subject: 'antall utsettelser innbyggeren har fått de siste seks månedene' },
    nn: { subject: 'talet på utsetjingar innbyggjaren har fått dei siste seks månadene' },
    en: { subject: 'the number of deferrals the resident was granted in the last six months' },
  },
  deferralsLast12Months: {
    nb: { subject: 'antall utsettelser innbyggeren har fått de siste tolv månedene' },
    nn: { subject: 'talet på utsetjingar innbyggjaren har fått dei siste tolv månadene' },
    en: { subject: 'the number of deferrals the resident was granted in the last twelve months' },
  },
  unpaidInvoiceCount: {
    nb: { subject: 'antall ubetalte fakturaer innbyggeren har (denne medregnet)' },
    nn: { subject: 'talet på ubetalte fakturaer innbyggjaren har (denne medrekna)' },
    en: { subject: 'the number of unpaid invoices the resident has (this one included)' },
  },
  unpaidTotalOre: {
    nb: { subject: 'samlet ubetalt beløp (denne fakturaen medregnet)' },
    nn: { subject: 'samla ubetalt beløp (denne fakturaen medrekna)' },
    en: { subject: 'the total unpaid amount (this invoice included)' },
  },
  latePaymentsLast12Months: {
    nb: { subject: 'antall fakturaer betalt for sent de siste tolv månedene' },
    nn: { subject: 'talet på fakturaer betalte for seint dei siste tolv månadene' },
    en: { subject: 'the number of invoices paid late in the last twelve months' },
  },
  remindersLast12Months: {
    nb: { subject: 'antall purringer de siste tolv månedene' },
    nn: { subject: 'talet på purringar dei siste tolv månadene' },
    en: { subject: 'the number of payment reminders in the last twelve months' },
  },
  collectionCasesLast24Months: {
    nb: { subject: 'antall inkassosaker de siste 24 månedene' },
    nn: { subject: 'talet på inkassosaker dei siste 24 månadene' },
    en: { subject: 'the number of debt collection cases in the last 24 months' },
  },
};

/** As on the residents' invoice pages (src/web/i18n/<lang>/invoices.json, `status`). */
export const STATUS_NAMES: Readonly<Record<InvoiceStatus, LocalizedText>> = {
  BETALT: { nb: 'Betalt', nn: 'Betalt', en: 'Paid' },
  IKKE_BETALT: { nb: 'Ikke betalt', nn: 'Ikkje betalt', en: 'Not paid' },
  INKASSOVARSEL: {
    nb: 'Inkassovarsel sendt',
    nn: 'Inkassovarsel sendt',
    en: 'Debt collection warning sent',
  },
  SENDT_INKASSO: {
    nb: 'Sendt til inkasso',
    nn: 'Sendt til inkasso',
    en: 'Sent to debt collection',
  },
  INKASSO: { nb: 'Til inkasso', nn: 'Til inkasso', en: 'In debt collection' },
};

export const TYPE_NAMES: Readonly<Record<InvoiceType, LocalizedText>> = {
  VANN_AVLOP: { nb: 'Vann og avløp', nn: 'Vatn og avløp', en: 'Water and sewage' },
  RENOVASJON: { nb: 'Renovasjon', nn: 'Renovasjon', en: 'Waste collection' },
  BARNEHAGE: { nb: 'Barnehage', nn: 'Barnehage', en: 'Kindergarten' },
  SFO: { nb: 'SFO', nn: 'SFO', en: 'After-school programme (SFO)' },
  EIENDOMSSKATT: { nb: 'Eiendomsskatt', nn: 'Eigedomsskatt', en: 'Property tax' },
  OTHER: { nb: 'Annet', nn: 'Anna', en: 'Other' },
};

/** Labels for the parameters the seed policies use; any other parameter is shown by its name. */
export const PARAMETER_LABELS: Readonly<Record<string, LocalizedText>> = {
  minDeferralDays: {
    nb: 'Korteste utsettelse',
    nn: 'Kortaste utsetjing',
    en: 'Shortest deferral',
  },
  maxDeferralDays: {
    nb: 'Lengste utsettelse',
    nn: 'Lengste utsetjing',
    en: 'Longest deferral',
  },
  earliestDaysBeforeDue: {
    nb: 'Tidligste søknad før forfall',
    nn: 'Tidlegaste søknad før forfall',
    en: 'Earliest request before the due date',
  },
  latestDaysAfterDue: {
    nb: 'Seneste søknad etter forfall',
    nn: 'Seinaste søknad etter forfall',
    en: 'Latest request after the due date',
  },
  maxDaysPastDueForApproval: {
    nb: 'Automatisk innvilgelse etter forfall',
    nn: 'Automatisk innvilging etter forfall',
    en: 'Automatic approval after the due date',
  },
  maxAmountOre: {
    nb: 'Beløpsgrense',
    nn: 'Beløpsgrense',
    en: 'Amount limit',
  },
  maxDeferralsLast6Months: {
    nb: 'Flest utsettelser siste seks måneder',
    nn: 'Flest utsetjingar siste seks månader',
    en: 'Most deferrals in the last six months',
  },
  maxTotalOutstandingOre: {
    nb: 'Grense for samlet ubetalt beløp',
    nn: 'Grense for samla ubetalt beløp',
    en: 'Limit for the total unpaid amount',
  },
  maxUnpaidInvoices: {
    nb: 'Flest ubetalte fakturaer',
    nn: 'Flest ubetalte fakturaer',
    en: 'Most unpaid invoices',
  },
  openInvoiceStatuses: {
    nb: 'Statuser som kan få utsettelse',
    nn: 'Statusar som kan få utsetjing',
    en: 'Statuses that can be deferred',
  },
  collectionStatuses: {
    nb: 'Statuser som betyr inkasso',
    nn: 'Statusar som tyder inkasso',
    en: 'Statuses that mean debt collection',
  },
  maxCollectionCasesLast24Months: {
    nb: 'Flest inkassosaker siste 24 måneder',
    nn: 'Flest inkassosaker siste 24 månader',
    en: 'Most debt collection cases in the last 24 months',
  },
};

/** How a rule's sentence begins, by the event it fires. */
export const OUTCOME_LEADS: Readonly<Record<EventType, LocalizedText>> = {
  approve: {
    nb: 'Innvilges automatisk når',
    nn: 'Blir innvilga automatisk når',
    en: 'Approved automatically when',
  },
  reject: { nb: 'Avslås når', nn: 'Blir avslått når', en: 'Rejected when' },
  'manual-review': {
    nb: 'Går til manuell behandling når',
    nn: 'Går til manuell behandling når',
    en: 'Sent to manual review when',
  },
};

export const OUTCOME_LABELS: Readonly<Record<EventType, LocalizedText>> = {
  approve: { nb: 'Innvilges automatisk', nn: 'Blir innvilga automatisk', en: 'Approved' },
  reject: { nb: 'Avslås', nn: 'Blir avslått', en: 'Rejected' },
  'manual-review': {
    nb: 'Manuell behandling',
    nn: 'Manuell behandling',
    en: 'Manual review',
  },
};

/**
 * How the evaluator (engine/policy-evaluator.ts `decide`) picks the outcome: every rule is
 * evaluated; any reject wins, then any approve, else manual review, also when nothing fired.
 */
export const HOW_OUTCOME_IS_CHOSEN: LocalizedText = {
  nb: 'Alle reglene blir vurdert for hver søknad. Slår minst én avslagsregel til, avslås søknaden. Ellers innvilges den automatisk hvis minst én innvilgelsesregel slår til. Ellers går den til manuell behandling, også når ingen regel slår til. Rekkefølgen og prioriteten til reglene endrer ikke utfallet.',
  nn: 'Alle reglane blir vurderte for kvar søknad. Slår minst éin avslagsregel til, blir søknaden avslått. Elles blir han innvilga automatisk om minst éin innvilgingsregel slår til. Elles går han til manuell behandling, også når ingen regel slår til. Rekkjefølgja og prioriteten til reglane endrar ikkje utfallet.',
  en: 'Every rule is checked for every request. If at least one rejection rule applies, the request is rejected. Otherwise it is approved automatically if at least one approval rule applies. Otherwise it goes to manual review, also when no rule applies. The order and priority of the rules do not change the outcome.',
};

/** Small words, by language. */
export const WORDS = {
  and: { nb: 'og', nn: 'og', en: 'and' },
  or: { nb: 'eller', nn: 'eller', en: 'or' },
  not: { nb: 'ikke', nn: 'ikkje', en: 'not' },
  when: { nb: 'når', nn: 'når', en: 'when' },
  always: { nb: 'alltid', nn: 'alltid', en: 'always' },
  never: { nb: 'aldri', nn: 'aldri', en: 'never' },
  allBelow: {
    nb: 'alle punktene under stemmer:',
    nn: 'alle punkta under stemmer:',
    en: 'all of the points below hold:',
  },
  anyBelow: {
    nb: 'minst ett av punktene under stemmer:',
    nn: 'minst eitt av punkta under stemmer:',
    en: 'at least one of the points below holds:',
  },
  matchAll: {
    nb: 'Alle vilkårene må stemme',
    nn: 'Alle vilkåra må stemme',
    en: 'All conditions must hold',
  },
  matchAny: {
    nb: 'Minst ett av vilkårene må stemme',
    nn: 'Minst eitt av vilkåra må stemme',
    en: 'At least one condition must hold',
  },
  oneOf: { nb: 'én av', nn: 'éin av', en: 'one of' },
  noneOf: { nb: 'ingen av', nn: 'ingen av', en: 'none of' },
  otherThan: { nb: 'en annen enn', nn: 'ein annan enn', en: 'other than' },
  emptyList: { nb: '(ingen)', nn: '(ingen)', en: '(none)' },
  is: { nb: 'er', nn: 'er', en: 'is' },
} satisfies Record<string, LocalizedText>;

type Comparison =
  'lessThan' | 'lessThanInclusive' | 'greaterThan' | 'greaterThanInclusive' | 'equal';

/** "is under / at most / over / at least / equal to" for amounts, days and counts. */
export const NUMBER_COMPARISONS: Readonly<Record<Comparison, LocalizedText>> = {
  lessThan: { nb: 'under', nn: 'under', en: 'less than' },
  lessThanInclusive: { nb: 'høyst', nn: 'høgst', en: 'at most' },
  greaterThan: { nb: 'over', nn: 'over', en: 'more than' },
  greaterThanInclusive: { nb: 'minst', nn: 'minst', en: 'at least' },
  equal: { nb: '', nn: '', en: '' },
};

/** The same for dates. */
export const DATE_COMPARISONS: Readonly<Record<Comparison, LocalizedText>> = {
  lessThan: { nb: 'før', nn: 'før', en: 'before' },
  lessThanInclusive: { nb: 'senest', nn: 'seinast', en: 'on or before' },
  greaterThan: { nb: 'etter', nn: 'etter', en: 'after' },
  greaterThanInclusive: { nb: 'tidligst', nn: 'tidlegast', en: 'on or after' },
  equal: { nb: 'samme dag som', nn: 'same dag som', en: 'the same day as' },
};

export const QUOTES: Readonly<Record<Language, readonly [string, string]>> = {
  nb: ['«', '»'],
  nn: ['«', '»'],
  en: ['“', '”'],
};
