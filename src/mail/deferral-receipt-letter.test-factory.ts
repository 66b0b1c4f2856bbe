import type { CaseQuestionLetter } from './case-question-letter';
import type { DeferralReceiptLetter } from './deferral-receipt-letter';

/** Test data for the mail folder. Built here, never taken from the demo seed. */
export function aReceiptLetter(
  overrides: Partial<DeferralReceiptLetter> = {},
): DeferralReceiptLetter {
  return {
    language: 'nb',
    municipality: {
      name: 'Fjordvik kommune',
      contactEmail: 'postmottak@fjordvik.example.no',
      contactPhone: '12 34 56 78',
    },
    outcome: 'approved',
    invoice: { number: '2026004711', title: 'Vann og avløp, 4. termin', amountOre: 123450 },
    originalDueDate: '2026-11-20',
    newDueDate: '2026-12-15',
    reasons: ['Du har ikke fått utsettelse på denne fakturaen før.'],
    notices: [
      'Betaler du med AvtaleGiro eller eFaktura, må du selv endre datoen i nettbanken.',
      'Det kan bli beregnet renter fra den opprinnelige forfallsdatoen.',
    ],
    reference: 'UTS-2026-000123',
    caseUrl: 'https://fjordvik.example.no/saker/UTS-2026-000123',
    ...overrides,
  };
}

/** A receipt for a case an officer decided (approved unless overridden). */
export function anOfficerReceiptLetter(
  overrides: Partial<DeferralReceiptLetter> = {},
): DeferralReceiptLetter {
  return aReceiptLetter({
    decidedBy: 'officer',
    officerReason: 'Du har dokumentert at inntekten din har falt i høst.',
    ...overrides,
  });
}

export function aCaseQuestionLetter(
  overrides: Partial<CaseQuestionLetter> = {},
): CaseQuestionLetter {
  return {
    kind: 'case-question',
    language: 'nb',
    municipality: {
      name: 'Fjordvik kommune',
      contactEmail: 'postmottak@fjordvik.example.no',
      contactPhone: '12 34 56 78',
    },
    reference: 'UTS-2026-000123',
    invoice: { number: '2026004711', title: 'Vann og avløp, 4. termin', amountOre: 123450 },
    question: 'Kan du sende oss dokumentasjon på inntekten din de siste tre månedene?',
    caseUrl: 'https://fjordvik.example.no/saker/UTS-2026-000123',
    ...overrides,
  };
}
