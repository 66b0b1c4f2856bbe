import type { UiLocale } from './idporten.constants';

export interface LoginPageTexts {
  title: string;
  devNotice: string;
  intro: (clientId: string) => string;
  errorPrefix: string;
  errorSummaryTitle: string;
  residentsLegend: string;
  pidLabel: string;
  pidHint: string;
  pidExample: (pid: string) => string;
  pidMissing: string;
  pidInvalid: string;
  levelLegend: string;
  levelHint: (required: string) => string;
  levelMissing: string;
  levelTooLow: string;
  levels: { 'idporten-loa-substantial': string; 'idporten-loa-high': string };
  login: string;
  cancel: string;
  errorTitle: string;
  errorIntro: string;
  loggedOut: string;
}

export const LOGIN_PAGE_TEXTS: Record<UiLocale, LoginPageTexts> = {
  nb: {
    title: 'Logg inn med TestID',
    devNotice: 'Testinnlogging for utvikling og test. Dette er ikke ID-porten.',
    intro: (clientId) => `Tjenesten ${clientId} ber deg logge inn.`,
    errorPrefix: 'Feil: ',
    errorSummaryTitle: 'Noe må rettes før du kan logge inn',
    residentsLegend: 'Velg en testperson',
    pidLabel: 'Eller skriv inn fødselsnummer eller D-nummer',
    pidHint: '11 siffer, bare syntetiske testnummer. Et utfylt nummer går foran valget over.',
    pidExample: (pid) => `Prøv for eksempel ${pid}, en testperson uten fakturaer.`,
    pidMissing: 'Velg en testperson eller skriv inn et fødselsnummer.',
    pidInvalid:
      'Fødselsnummeret er ikke gyldig. Sjekk at det har 11 siffer og riktige kontrollsiffer.',
    levelLegend: 'Sikkerhetsnivå',
    levelHint: (required) => `Tjenesten krever minst: ${required}.`,
    levelMissing: 'Velg et sikkerhetsnivå.',
    levelTooLow:
      'Tjenesten krever sikkerhetsnivå høyt. ID-porten gir aldri et lavere nivå enn tjenesten ber om. Velg høyt.',
    levels: { 'idporten-loa-substantial': 'Betydelig', 'idporten-loa-high': 'Høyt' },
    login: 'Logg inn',
    cancel: 'Avbryt',
    errorTitle: 'Innloggingen kunne ikke fullføres',
    errorIntro: 'Gå tilbake til tjenesten og prøv igjen.',
    loggedOut: 'Du er logget ut',
  },
  nn: {
    title: 'Logg inn med TestID',
    devNotice: 'Testinnlogging for utvikling og test. Dette er ikkje ID-porten.',
    intro: (clientId) => `Tenesta ${clientId} ber deg logge inn.`,
    errorPrefix: 'Feil: ',
    errorSummaryTitle: 'Noko må rettast før du kan logge inn',
    residentsLegend: 'Vel ein testperson',
    pidLabel: 'Eller skriv inn fødselsnummer eller D-nummer',
    pidHint: '11 siffer, berre syntetiske testnummer. Eit utfylt nummer går føre valet over.',
    pidExample: (pid) => `Prøv til dømes ${pid}, ein testperson utan fakturaer.`,
    pidMissing: 'Vel ein testperson eller skriv inn eit fødselsnummer.',
    pidInvalid:
      'Fødselsnummeret er ikkje gyldig. Sjekk at det har 11 siffer og rette kontrollsiffer.',
    levelLegend: 'Tryggleiksnivå',
    levelHint: (required) => `Tenesta krev minst: ${required}.`,
    levelMissing: 'Vel eit tryggleiksnivå.',
    levelTooLow:
      'Tenesta krev tryggleiksnivå høgt. ID-porten gir aldri eit lågare nivå enn tenesta ber om. Vel høgt.',
    levels: { 'idporten-loa-substantial': 'Betydeleg', 'idporten-loa-high': 'Høgt' },
    login: 'Logg inn',
    cancel: 'Avbryt',
    errorTitle: 'Innlogginga kunne ikkje fullførast',
    errorIntro: 'Gå tilbake til tenesta og prøv igjen.',
    loggedOut: 'Du er logga ut',
  },
  en: {
    title: 'Log in with TestID',
    devNotice: 'Test login for development and testing. This is not ID-porten.',
    intro: (clientId) => `The service ${clientId} asks you to log in.`,
    errorPrefix: 'Error: ',
    errorSummaryTitle: 'There is a problem',
    residentsLegend: 'Choose a test person',
    pidLabel: 'Or enter a national identity number or D number',
    pidHint:
      '11 digits, synthetic test numbers only. A number entered here takes precedence over the choice above.',
    pidExample: (pid) => `Try ${pid}, for example: a test person with no invoices.`,
    pidMissing: 'Choose a test person or enter a national identity number.',
    pidInvalid:
      'The national identity number is not valid. Check that it has 11 digits and correct check digits.',
    levelLegend: 'Level of assurance',
    levelHint: (required) => `The service requires at least: ${required}.`,
    levelMissing: 'Choose a level of assurance.',
    levelTooLow:
      'The service requires level high. ID-porten never returns a lower level than the service asks for. Choose high.',
    levels: { 'idporten-loa-substantial': 'Substantial', 'idporten-loa-high': 'High' },
    login: 'Log in',
    cancel: 'Cancel',
    errorTitle: 'The login could not be completed',
    errorIntro: 'Go back to the service and try again.',
    loggedOut: 'You are logged out',
  },
};
