import { newAuditSalt, saltedSha256, sha256Hex } from '../audit';
import { entryView, type ChainEntry } from './chain-entries';
import { type DecisionTexts, textCheckOf, withTextCheck } from './text-checks';

const salt = newAuditSalt();
const noteSalt = newAuditSalt();

function texts(overrides: Partial<DecisionTexts> = {}): DecisionTexts {
  return {
    salt,
    residentMessage: 'Jeg ble syk i mars.',
    officerReason: 'Vi har gitt deg litt ekstra tid.',
    messages: new Map([
      ['m1', 'Når kommer lønna di?'],
      ['m2', 'Lønna kommer den 20.'],
    ]),
    note: { text: 'Endret i økonomisystemet.', salt: noteSalt },
    removed: false,
    ...overrides,
  };
}

const entry = (type: string, payload: Record<string, unknown>): ChainEntry => ({
  seq: 7,
  type,
  subjectId: 'r1',
  createdAt: new Date('2026-12-06T10:00:00Z'),
  payload,
});

describe(textCheckOf.name, () => {
  it('finds each kind of hashed text matching its row under the salt', () => {
    const all = texts();
    expect(
      [
        entry('case.sent_to_officer', {
          messageSha256: saltedSha256(salt, 'Jeg ble syk i mars.'),
        }),
        entry('case.info_requested', {
          messageId: 'm1',
          questionSha256: saltedSha256(salt, 'Når kommer lønna di?'),
        }),
        entry('case.resident_answered', {
          messageId: 'm2',
          messageSha256: saltedSha256(salt, 'Lønna kommer den 20.'),
        }),
        entry('case.decided', {
          reasonSha256: saltedSha256(salt, 'Vi har gitt deg litt ekstra tid.'),
        }),
        entry('writeback.resolved_by_hand', {
          noteSha256: saltedSha256(noteSalt, 'Endret i økonomisystemet.'),
        }),
      ].map((e) => textCheckOf(e, all)),
    ).toEqual(['matches', 'matches', 'matches', 'matches', 'matches']);
  });

  it('says differs when the row was changed after the entry was written', () => {
    const decided = entry('case.decided', { reasonSha256: saltedSha256(salt, 'Nei.') });
    expect(textCheckOf(decided, texts({ officerReason: 'Ja.' }))).toBe('differs');
    const question = entry('case.info_requested', {
      messageId: 'm1',
      questionSha256: saltedSha256(salt, 'Hvorfor?'),
    });
    expect(textCheckOf(question, texts())).toBe('differs');
  });

  it('accepts the unsalted hash of resident messages written before salts, but no other', () => {
    const old = entry('case.sent_to_officer', { messageSha256: sha256Hex('Jeg ble syk i mars.') });
    expect(textCheckOf(old, texts())).toBe('matches');
    const oldReason = entry('case.decided', {
      reasonSha256: sha256Hex('Vi har gitt deg litt ekstra tid.'),
    });
    expect(textCheckOf(oldReason, texts())).toBe('differs');
  });

  it('says removed when the retention job took the text and the salt', () => {
    const removed = texts({
      salt: null,
      residentMessage: null,
      officerReason: null,
      messages: new Map([['m1', null]]),
      note: null,
      removed: true,
    });
    expect(
      textCheckOf(entry('case.decided', { reasonSha256: saltedSha256(salt, 'x') }), removed),
    ).toBe('removed');
    expect(
      textCheckOf(
        entry('case.info_requested', { messageId: 'm1', questionSha256: saltedSha256(salt, 'x') }),
        removed,
      ),
    ).toBe('removed');
  });

  it('has nothing to say of entries without a hashed text', () => {
    expect(textCheckOf(entry('case.taken', { actor: 'staff:a' }), texts())).toBeUndefined();
    expect(textCheckOf(entry('case.decided', { reasonSha256: null }), texts())).toBeUndefined();
    expect(
      textCheckOf(entry('case.info_requested', { question: 'Hvorfor?' }), texts()),
    ).toBeUndefined();
  });
});

describe(withTextCheck.name, () => {
  it('hides the clear texts of older entries once the personal data was removed', () => {
    const old = entry('case.info_requested', { actor: 'staff:a', question: 'Hvorfor?' });
    const kept = withTextCheck(entryView(old), old, texts());
    expect(kept.details.map((d) => d.value)).toEqual(['Hvorfor?']);
    const hidden = withTextCheck(entryView(old), old, texts({ removed: true, salt: null }));
    expect(hidden.details).toEqual([]);
  });
});
