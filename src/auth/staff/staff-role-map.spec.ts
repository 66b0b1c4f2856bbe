import { parseStaffRoleMap, roleMapSlugs, rolesIn, type StaffRoleMap } from './staff-role-map';

const parsed = (text: string): StaffRoleMap => {
  const map = parseStaffRoleMap(text);
  if (typeof map === 'string') throw new Error(map);
  return map;
};

describe('parseStaffRoleMap', () => {
  it('reads claim values to roles per municipality', () => {
    const map = parsed(
      '{"fin-fjordvik":["fjordvik:finance-officer"],"ikt":["fjordvik:finance-officer","asdal:finance-officer"]}',
    );
    expect(roleMapSlugs(map)).toEqual(['asdal', 'fjordvik']);
  });

  it.each([
    ['not JSON', '{', 'must be JSON like {"fin-fjordvik":["fjordvik:finance-officer"]}'],
    ['a list', '[]', 'must be a JSON object like {"fin-fjordvik":["fjordvik:finance-officer"]}'],
    [
      'an unknown role',
      '{"g":["fjordvik:boss"]}',
      'has an unknown role "boss" for "g"; the roles are finance-officer, policy-approver, auditor, operator',
    ],
    [
      'a grant without a slug',
      '{"g":["finance-officer"]}',
      'has "finance-officer" for "g"; write "<municipality slug>:<role>"',
    ],
    [
      'a slug that is no slug',
      '{"g":["Fjord Vik:auditor"]}',
      'has "Fjord Vik:auditor" for "g"; write "<municipality slug>:<role>"',
    ],
    [
      'a value that is not a list',
      '{"g":"fjordvik:auditor"}',
      'must map "g" to a list of "<municipality slug>:<role>" strings',
    ],
    ['an empty claim value', '{"":["fjordvik:auditor"]}', 'has an empty claim value'],
  ])('refuses %s with one line', (_name, text, problem) => {
    expect(parseStaffRoleMap(text)).toBe(problem);
  });
});

describe('rolesIn', () => {
  const map = parsed(
    '{"fin":["fjordvik:finance-officer"],"ikt":["fjordvik:finance-officer","asdal:finance-officer"],"app":["fjordvik:policy-approver"]}',
  );

  it('gives the roles of every mapped claim value in that municipality only', () => {
    expect(rolesIn(map, ['ikt', 'app'], 'fjordvik')).toEqual([
      'finance-officer',
      'policy-approver',
    ]);
    expect(rolesIn(map, ['ikt', 'app'], 'asdal')).toEqual(['finance-officer']);
  });

  it('takes a single string as one claim value', () => {
    expect(rolesIn(map, 'fin', 'fjordvik')).toEqual(['finance-officer']);
  });

  it.each([
    ['a value the map does not name', ['other']],
    ['no claim', undefined],
    ['a claim of another shape', { fin: true }],
    ['a prototype name', ['__proto__', 'constructor']],
  ])('gives no role for %s', (_name, claim) => {
    expect(rolesIn(map, claim, 'fjordvik')).toEqual([]);
  });
});
