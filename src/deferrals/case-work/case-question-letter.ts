import type { CaseQuestionLetter } from '../../mail';
import type { CurrentMunicipality } from '../../tenancy';
import type { DeferralRequest } from '../deferral-request.entity';

/** The e-mail asking the resident the officer's question, in the resident's language. */
export function caseQuestionLetter(
  request: DeferralRequest,
  municipality: Pick<CurrentMunicipality, 'name' | 'contactEmail' | 'contactPhone'>,
  question: string,
  origin: string,
): CaseQuestionLetter {
  const language = request.language === 'nn' || request.language === 'en' ? request.language : 'nb';
  return {
    kind: 'case-question',
    language,
    municipality: {
      name: municipality.name,
      contactEmail: municipality.contactEmail,
      contactPhone: municipality.contactPhone,
    },
    reference: request.reference,
    invoice: {
      number: request.invoiceNumber,
      title: request.invoiceTitle,
      amountOre: request.amountOre,
    },
    question,
    caseUrl: `${origin}/saker/${request.reference}`,
  };
}
