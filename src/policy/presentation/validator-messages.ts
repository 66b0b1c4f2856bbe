import type { FactUnit } from '../engine/facts';
import type { LocalizedText, ParameterUnit } from '../policy.types';

/** One English message of the loader, recognised by its pattern, said in each language. */
type Translation = readonly [pattern: RegExp, say: (m: RegExpExecArray) => LocalizedText];

type Phrase = Readonly<Record<'nb' | 'nn', string>>;

/** What a fact or parameter of each unit is, as the end of a sentence ("… er et beløp i øre"). */
const UNITS: Readonly<Record<FactUnit | ParameterUnit, Phrase>> = {
  ore: { nb: 'et beløp i øre', nn: 'eit beløp i øre' },
  days: { nb: 'et antall dager', nn: 'eit tal på dagar' },
  count: { nb: 'et antall', nn: 'eit tal' },
  date: { nb: 'en dato', nn: 'ein dato' },
  boolean: { nb: 'en ja/nei-verdi', nn: 'ein ja/nei-verdi' },
  'invoice-status': { nb: 'en fakturastatus', nn: 'ein fakturastatus' },
  'invoice-type': { nb: 'en fakturatype', nn: 'ein fakturatype' },
  'invoice-statuses': { nb: 'en liste med fakturastatuser', nn: 'ei liste med fakturastatusar' },
  'invoice-types': { nb: 'en liste med fakturatyper', nn: 'ei liste med fakturatypar' },
};
const LISTS: Readonly<Record<string, Phrase>> = {
  'invoice-statuses': { nb: 'fakturastatuser', nn: 'fakturastatusar' },
  'invoice-types': { nb: 'fakturatyper', nn: 'fakturatypar' },
  'matching values': { nb: 'verdier av samme slag', nn: 'verdiar av same slag' },
};
const unit = (code: string): Phrase => UNITS[code as FactUnit] ?? { nb: code, nn: code };

/** The schema's patterns, said as what the value must look like. */
const PATTERNS: Readonly<Record<string, Phrase>> = {
  '^[a-z0-9]+(-[a-z0-9]+)*$': {
    nb: 'Kan bare inneholde små bokstaver (a–z) og sifre, med bindestrek mellom ordene.',
    nn: 'Kan berre innehalde små bokstavar (a–z) og siffer, med bindestrek mellom orda.',
  },
  '^[0-9]+(\\.[0-9]+){1,2}$': {
    nb: 'Må være et versjonsnummer som 2026.1 eller 2026.1.2.',
    nn: 'Må vere eit versjonsnummer som 2026.1 eller 2026.1.2.',
  },
  '\\S': { nb: 'Kan ikke være tom.', nn: 'Kan ikkje vere tom.' },
  '^\\$\\.[a-z][A-Za-z0-9]*$': {
    nb: 'Må være $. og navnet på en parameter, for eksempel $.maxAmountOre.',
    nn: 'Må vere $. og namnet på ein parameter, til dømes $.maxAmountOre.',
  },
};

const en = (m: RegExpExecArray) => `${m[0].charAt(0).toUpperCase()}${m[0].slice(1)}.`;

/**
 * The loader's messages beyond the common schema ones (form-errors.ts): the semantic checks
 * (loading/semantic-messages.ts), the rarer schema keywords, nesting limits and the catch-all.
 * Fact names, operators and JSON paths stay as they are written in the policy file.
 */
export const VALIDATOR_TRANSLATIONS: readonly Translation[] = [
  [
    /^"(.*)" is already the name of (\/rules\/\d+)$/,
    (m) => ({
      nb: `«${m[1]}» er allerede navnet på ${m[2]}; hver regel må ha sitt eget navn.`,
      nn: `«${m[1]}» er allereie namnet på ${m[2]}; kvar regel må ha sitt eige namn.`,
      en: en(m),
    }),
  ],
  [
    /^must be one of (.*)$/,
    (m) => ({
      nb: `Må være en av disse: ${m[1]}.`,
      nn: `Må vere ein av desse: ${m[1]}.`,
      en: en(m),
    }),
  ],
  [
    /^no parameter named "(.*)" in \/parameters$/,
    (m) => ({
      nb: `Det finnes ingen parameter «${m[1]}» under /parameters.`,
      nn: `Det finst ingen parameter «${m[1]}» under /parameters.`,
      en: en(m),
    }),
  ],
  [
    /^"(.*)" is used twice$/,
    (m) => ({
      nb: `«${m[1]}» er brukt to ganger.`,
      nn: `«${m[1]}» er brukt to gonger.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) needs a list, and (\w+) is a single value$/,
    (m) => ({
      nb: `${m[1]} krever en liste, men ${m[2]} er bare én verdi.`,
      nn: `${m[1]} krev ei liste, men ${m[2]} er berre éin verdi.`,
      en: en(m),
    }),
  ],
  [
    /^true\/false can only be compared with equal or notEqual to a true\/false fact; (\w+) is measured in ([\w-]+)$/,
    (m) => ({
      nb: `true/false kan bare sammenlignes med equal eller notEqual, og bare med en ja/nei-verdi; ${m[1]} er ${unit(m[2]).nb}.`,
      nn: `true/false kan berre samanliknast med equal eller notEqual, og berre med ein ja/nei-verdi; ${m[1]} er ${unit(m[2]).nn}.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) compares (\w+) \(([\w-]+)\) with a list of ([\w -]+); "(.*)" is in ([\w-]+)$/,
    (m) => {
      const list = LISTS[m[4]] ?? { nb: m[4], nn: m[4] };
      return {
        nb: `${m[1]} sammenligner ${m[2]} (${unit(m[3]).nb}) med en liste med ${list.nb}, men «${m[5]}» er ${unit(m[6]).nb}.`,
        nn: `${m[1]} samanliknar ${m[2]} (${unit(m[3]).nn}) med ei liste med ${list.nn}, men «${m[5]}» er ${unit(m[6]).nn}.`,
        en: en(m),
      };
    },
  ],
  [
    /^(\w+) is a date; compare it only with another date fact$/,
    (m) => ({
      nb: `${m[1]} er en dato og kan bare sammenlignes med en annen dato.`,
      nn: `${m[1]} er ein dato og kan berre samanliknast med ein annan dato.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) is measured in ([\w-]+); use in \/ notIn with a list parameter$/,
    (m) => ({
      nb: `${m[1]} er ${unit(m[2]).nb}; bruk in eller notIn med en parameter som er en liste.`,
      nn: `${m[1]} er ${unit(m[2]).nn}; bruk in eller notIn med ein parameter som er ei liste.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) is measured in ([\w-]+) but "(.*)" is in ([\w-]+)$/,
    (m) => ({
      nb: `${m[1]} er ${unit(m[2]).nb}, men «${m[3]}» er ${unit(m[4]).nb}.`,
      nn: `${m[1]} er ${unit(m[2]).nn}, men «${m[3]}» er ${unit(m[4]).nn}.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) needs a list parameter, and (\w+) is a single value$/,
    (m) => ({
      nb: `${m[1]} krever en parameter som er en liste, men ${m[2]} er bare én verdi.`,
      nn: `${m[1]} krev ein parameter som er ei liste, men ${m[2]} er berre éin verdi.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) cannot order (\w+) \(([\w-]+)\)$/,
    (m) => ({
      nb: `${m[1]} kan ikke brukes på ${m[2]}, som er ${unit(m[3]).nb} og ikke har noen rekkefølge.`,
      nn: `${m[1]} kan ikkje brukast på ${m[2]}, som er ${unit(m[3]).nn} og ikkje har nokon rekkjefølgje.`,
      en: en(m),
    }),
  ],
  [
    /^(\w+) is measured in ([\w-]+) but (\w+) in ([\w-]+)$/,
    (m) => ({
      nb: `${m[1]} er ${unit(m[2]).nb}, men ${m[3]} er ${unit(m[4]).nb}.`,
      nn: `${m[1]} er ${unit(m[2]).nn}, men ${m[3]} er ${unit(m[4]).nn}.`,
      en: en(m),
    }),
  ],
  [
    /^must not be more than maxDeferralDays \((\d+)\)$/,
    (m) => ({
      nb: `Korteste utsettelse kan ikke være lengre enn lengste utsettelse (${m[1]} dager).`,
      nn: `Kortaste utsetjing kan ikkje vere lengre enn lengste utsetjing (${m[1]} dagar).`,
      en: `The shortest deferral cannot be longer than the longest deferral (${m[1]} days).`,
    }),
  ],
  [
    /^conditions are nested more than (\d+) levels deep \(all, any, not\)$/,
    (m) => ({
      nb: `Vilkårene ligger mer enn ${m[1]} nivåer inni hverandre (all, any, not); gjør regelen enklere.`,
      nn: `Vilkåra ligg meir enn ${m[1]} nivå inni kvarandre (all, any, not); gjer regelen enklare.`,
      en: en(m),
    }),
  ],
  [
    /^nested more than (\d+) levels deep$/,
    (m) => ({
      nb: `Ligger mer enn ${m[1]} nivåer inni hverandre.`,
      nn: `Ligg meir enn ${m[1]} nivå inni kvarandre.`,
      en: en(m),
    }),
  ],
  [
    /^could not be checked \((.*)\)$/s,
    (m) => ({
      nb: `Regelverket kunne ikke kontrolleres (${m[1]}). Kontakt brukerstøtte hvis det skjer igjen.`,
      nn: `Regelverket kunne ikkje kontrollerast (${m[1]}). Kontakt brukarstøtte om det skjer igjen.`,
      en: `The policy could not be checked (${m[1]}). Contact support if it happens again.`,
    }),
  ],
  [
    /^is not an allowed name$/,
    (m) => ({
      nb: 'Navnet er ikke tillatt: det må begynne med en liten bokstav (a–z), ha bare bokstaver og sifre og være på høyst 64 tegn.',
      nn: 'Namnet er ikkje tillate: det må byrje med ein liten bokstav (a–z), ha berre bokstavar og siffer og vere på høgst 64 teikn.',
      en: en(m),
    }),
  ],
  [
    /^must match pattern "(.*)"$/,
    (m) => {
      const known = PATTERNS[m[1]];
      return {
        nb: known?.nb ?? `Har ikke riktig form (mønster ${m[1]}).`,
        nn: known?.nn ?? `Har ikkje rett form (mønster ${m[1]}).`,
        en: en(m),
      };
    },
  ],
  [
    /^must NOT have fewer than (\d+) characters$/,
    (m) =>
      m[1] === '1'
        ? { nb: 'Kan ikke være tom.', nn: 'Kan ikkje vere tom.', en: 'Must not be empty.' }
        : { nb: `Må ha minst ${m[1]} tegn.`, nn: `Må ha minst ${m[1]} teikn.`, en: en(m) },
  ],
  [
    /^must NOT have more than (\d+) characters$/,
    (m) => ({ nb: `Kan ha høyst ${m[1]} tegn.`, nn: `Kan ha høgst ${m[1]} teikn.`, en: en(m) }),
  ],
  [
    /^must NOT have fewer than (\d+) items$/,
    (m) => ({
      nb: m[1] === '1' ? 'Listen kan ikke være tom.' : `Listen må ha minst ${m[1]} elementer.`,
      nn: m[1] === '1' ? 'Lista kan ikkje vere tom.' : `Lista må ha minst ${m[1]} element.`,
      en: en(m),
    }),
  ],
  [/^must be (".*")$/, (m) => ({ nb: `Må være ${m[1]}.`, nn: `Må vere ${m[1]}.`, en: en(m) })],
  [
    /^must NOT be valid$/,
    (m) => ({
      nb: 'Har en form som ikke er tillatt her (path hører bare til fact "parameters").',
      nn: 'Har ei form som ikkje er tillaten her (path høyrer berre til fact "parameters").',
      en: en(m),
    }),
  ],
];
