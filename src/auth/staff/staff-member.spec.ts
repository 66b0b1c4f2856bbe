import { municipalitiesWhere, staffActor, staffMember } from './staff-member';

describe('staffActor', () => {
  it('names a member of staff by the provider subject', () => {
    expect(staffActor('00000000-0000-0000-0000-000000000001')).toBe(
      'staff:00000000-0000-0000-0000-000000000001',
    );
  });

  it.each([
    ['a subject longer than 80 characters', 'x'.repeat(81)],
    ['a subject with a space', 'Kari Nordmann'],
    ['a subject outside ASCII', 'åse'],
  ])('hashes %s, so the actor fits an audit subject', (_name, subject) => {
    const actor = staffActor(subject);
    expect(actor).toMatch(/^staff:sha256:[0-9a-f]{40}$/);
    expect(staffActor(subject)).toBe(actor);
  });
});

describe('staffMember', () => {
  it("gives the roles of the request's municipality only", () => {
    const identity = {
      kind: 'staff' as const,
      subject: 's',
      issuer: 'https://login.example',
      name: 'Kari',
      roles: { a: ['finance-officer' as const], b: ['auditor' as const] },
    };
    expect(staffMember(identity, 'a')).toEqual({
      subject: 's',
      issuer: 'https://login.example',
      name: 'Kari',
      actor: 'staff:s',
      roles: ['finance-officer'],
      rolesByMunicipality: identity.roles,
    });
    expect(staffMember(identity, 'c').roles).toEqual([]);
  });
});

describe('municipalitiesWhere', () => {
  it('names every municipality where the member holds the role, and no other', () => {
    const member = staffMember(
      {
        kind: 'staff' as const,
        subject: 's',
        issuer: 'https://login.example',
        roles: { a: ['finance-officer'], b: ['auditor', 'finance-officer'], c: ['auditor'] },
      },
      'a',
    );
    expect(municipalitiesWhere(member, 'finance-officer')).toEqual(['a', 'b']);
    expect(municipalitiesWhere(member, 'auditor')).toEqual(['b', 'c']);
    expect(municipalitiesWhere(member, 'policy-approver')).toEqual([]);
  });
});
