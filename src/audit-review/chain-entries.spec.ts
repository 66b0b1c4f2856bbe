import { actorOf, type ChainEntry, entryView } from './chain-entries';

const at = new Date('2026-03-10T10:00:00Z');
const entry = (type: string, payload: Record<string, unknown>): ChainEntry => ({
  seq: 7,
  type,
  subjectId: 'r1',
  createdAt: at,
  payload,
});

describe('entryView', () => {
  it('shows the policy’s decision with its outcome and date, made by the policy', () => {
    expect(
      entryView(
        entry('deferral.decided', {
          outcome: 'approved',
          newDueDate: '2026-04-10',
          facts: { amountOre: 1 },
        }),
      ),
    ).toEqual({
      seq: 7,
      at,
      type: 'deferral.decided',
      typeKey: 'deferral_decided',
      who: null,
      by: 'policy',
      details: [
        { key: 'outcome', value: 'approved', outcome: 'approved' },
        { key: 'newDueDate', value: '2026-04-10', date: '2026-04-10' },
      ],
    });
  });

  it('names the person by name, else by actor, and the resident and the system as such', () => {
    expect(entryView(entry('case.taken', { actor: 'staff:siri', name: 'Siri' })).who).toBe('Siri');
    expect(entryView(entry('case.taken', { actor: 'staff:siri', name: null })).who).toBe(
      'staff:siri',
    );
    expect(entryView(entry('case.resident_answered', { by: 'resident' }))).toMatchObject({
      who: null,
      by: 'resident',
    });
    expect(entryView(entry('writeback.succeeded', { attempts: 1 }))).toMatchObject({
      who: null,
      by: 'system',
      details: [{ key: 'attempts', value: '1' }],
    });
  });

  it('shows a yes field by its label, and leaves out empty and unlisted fields', () => {
    expect(
      entryView(
        entry('audit.decision_opened', {
          actor: 'staff:runa',
          reference: 'UTS-AAAA-BBBB',
          fullNumber: true,
          secret: 'x',
        }),
      ).details,
    ).toEqual([
      { key: 'reference', value: 'UTS-AAAA-BBBB' },
      { key: 'fullNumber', value: '', flag: true },
    ]);
    expect(entryView(entry('case.taken', { actor: 'a', released: false })).details).toEqual([]);
  });

  it('masks an identity number typed into a text', () => {
    const view = entryView(
      entry('case.info_requested', { actor: 'a', question: 'Er 01017012345 deg?' }),
    );
    expect(view.details[0].value).toBe('Er 010170***** deg?');
  });
});

describe('actorOf', () => {
  it('reads who acted from any of the fields the features write', () => {
    expect(actorOf({ actor: 'staff:a' })).toBe('staff:a');
    expect(actorOf({ by: 'staff:b' })).toBe('staff:b');
    expect(actorOf({ approvedBy: 'staff:c' })).toBe('staff:c');
    expect(actorOf({ activatedBy: 'seed:default.policy.json' })).toBe('seed:default.policy.json');
    expect(actorOf({ by: 'resident' })).toBeNull();
  });
});
