import type { EntityManager } from '@mikro-orm/core';
import type { DigitalPostOutbox } from '../digital-post';
import type { DeferralReceiptLetter, ReceiptOutbox } from '../mail';
import type { TenancyService } from '../tenancy';
import type { DeferralRequest } from './deferral-request.entity';
import { DeferralReceipts } from './deferral-receipts';

const notice = (code: string, nb: string) => ({ code, text: { nb, nn: nb, en: nb } });
const NOTICES = [
  notice(
    'original-due-date-applies',
    'Inntil en saksbehandler har avgjort søknaden, gjelder den opprinnelige forfallsdatoen.',
  ),
  notice('avtalegiro', 'Betaler du med AvtaleGiro, må du selv endre datoen.'),
];

function aRequest(overrides: Partial<DeferralRequest>): DeferralRequest {
  return {
    id: 'req-1',
    municipalityId: 'm-1',
    email: 'kari@example.test',
    language: 'nb',
    outcome: 'manual_review',
    invoiceNumber: '2026004711',
    invoiceTitle: 'Vann og avløp',
    amountOre: 123450,
    originalDueDate: '2026-12-10',
    newDueDate: null,
    reasons: [],
    notices: NOTICES,
    reference: 'UTS-2026-000123',
    decidedBy: null,
    officerReason: null,
    ...overrides,
  } as unknown as DeferralRequest;
}

async function letterOf(request: DeferralRequest, today: string): Promise<DeferralReceiptLetter> {
  jest.useFakeTimers({ now: new Date(`${today}T10:00:00Z`) });
  try {
    const letters: DeferralReceiptLetter[] = [];
    const outbox = {
      enabled: true,
      enqueueMany: (_em: EntityManager, jobs: { letter: DeferralReceiptLetter }[]) => {
        letters.push(...jobs.map((job) => job.letter));
        return Promise.resolve();
      },
    } as unknown as ReceiptOutbox;
    const digitalPost = {
      channelOf: () => 'email',
      enqueueMany: () => Promise.resolve(),
    } as unknown as DigitalPostOutbox;
    const receipts = new DeferralReceipts(outbox, {} as TenancyService, digitalPost);
    const municipality = {
      name: 'Fjordvik kommune',
      contactEmail: 'post@x.test',
      contactPhone: '1',
    };
    await receipts.enqueue({} as EntityManager, [
      {
        request,
        receipt: { municipality, origin: 'https://fjordvik.example.no', channel: 'email' },
        audit: { seq: 1, hash: 'ab'.repeat(32) },
      },
    ]);
    expect(letters).toHaveLength(1);
    return letters[0];
  } finally {
    jest.useRealTimers();
  }
}

describe(DeferralReceipts, () => {
  describe('enqueue', () => {
    it('gives the receipt the policy’s notices while the original due date is to come', async () => {
      const letter = await letterOf(aRequest({}), '2026-12-10');
      expect(letter.notices).toEqual(NOTICES.map((n) => n.text.nb));
    });

    it('leaves out "the original due date applies" once that date has passed', async () => {
      const letter = await letterOf(aRequest({}), '2026-12-11');
      expect(letter.notices).toEqual([NOTICES[1].text.nb]);
    });

    it('gives an officer’s decision none of the notices the policy chose for its own outcome', async () => {
      const decided = aRequest({
        outcome: 'approved',
        newDueDate: '2027-01-15',
        decidedBy: 'staff:siri',
        officerReason: 'Dokumentert inntektsfall.',
      });
      const letter = await letterOf(decided, '2026-12-06');
      expect(letter.decidedBy).toBe('officer');
      expect(letter.notices).toEqual([]);
    });
  });
});
