import { assertAuditPayload } from './audit-payload';
import { InvalidAuditEntryError } from './audit.errors';

class Money {
  constructor(readonly ore: number) {}
}

describe('audit-payload', () => {
  describe(assertAuditPayload.name, () => {
    it('accepts nested plain JSON when dates are ISO strings', () => {
      const payload = {
        outcome: 'approved',
        newDueDate: '2026-04-01',
        decidedAt: '2026-03-01T10:00:00.000Z',
        trace: [{ rule: 'r1', fired: true, params: { days: 30, ratio: 0.5, note: null } }],
        bare: Object.assign(Object.create(null) as object, { a: 1 }),
      };
      expect(() => assertAuditPayload(payload)).not.toThrow();
    });

    it.each([
      ['a Date', { decidedAt: new Date() }, /payload\.decidedAt is a Date/],
      ['undefined', { reason: undefined }, /payload\.reason is undefined/],
      ['undefined in an array', { list: [1, undefined] }, /payload\.list\[1\] is undefined/],
      ['an array hole', { list: [1, , 3] }, /payload\.list\[1\] is a hole/],
      ['NaN', { ratio: Number.NaN }, /payload\.ratio is NaN/],
      [
        'Infinity',
        { nested: { ratio: Number.POSITIVE_INFINITY } },
        /payload\.nested\.ratio is Infinity/,
      ],
      ['a bigint', { amount: 10n }, /payload\.amount is a bigint/],
      ['a function', { f: () => 1 }, /payload\.f is a function/],
      ['a Map', { m: new Map() }, /payload\.m is a Map/],
      ['a class instance', { amount: new Money(100) }, /payload\.amount is a Money/],
      ['a NUL character', { text: 'a\u0000b' }, /payload\.text contains a NUL/],
      ['a lone surrogate', { text: 'a\ud800b' }, /lone surrogate/],
      ['a lone surrogate in a key', { ['\udc00']: 1 }, /lone surrogate/],
    ])('throws when the payload holds %s', (_what, payload, message) => {
      expect(() => assertAuditPayload(payload)).toThrow(InvalidAuditEntryError);
      expect(() => assertAuditPayload(payload)).toThrow(message);
    });

    it('throws when the payload refers to itself', () => {
      const payload: Record<string, unknown> = { a: 1 };
      payload.self = { back: payload };
      expect(() => assertAuditPayload(payload)).toThrow(/refers back to itself/);
    });

    it('accepts the same object twice when it is not a cycle', () => {
      const shared = { a: 1 };
      expect(() => assertAuditPayload({ x: shared, y: shared })).not.toThrow();
    });

    it.each([null, [], 'text', 42, new Date()])(
      'throws when the payload itself is %p',
      (payload) => {
        expect(() => assertAuditPayload(payload)).toThrow(/payload must be a plain object/);
      },
    );
  });
});
