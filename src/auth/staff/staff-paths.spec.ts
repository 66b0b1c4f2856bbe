import { isStaffPath, STAFF_PREFIXES } from './staff-paths';

describe('isStaffPath', () => {
  it.each(['/saksbehandler', '/saksbehandler/saker', '/revisjon', '/revisjon/beslutninger/x'])(
    'is true for %s',
    (path) => {
      expect(isStaffPath(path)).toBe(true);
    },
  );

  it.each(['/Saksbehandler/regelverk', '/REVISJON', '/Revisjon/aktivitet'])(
    'is case-blind, as Express routes are (%s)',
    (path) => {
      expect(isStaffPath(path)).toBe(true);
    },
  );

  it.each(['/', '/fakturaer', '/saker', '/revisjonen', '/saksbehandlerne', '/x/revisjon'])(
    'is false for %s',
    (path) => {
      expect(isStaffPath(path)).toBe(false);
    },
  );

  it('names every prefix once, each a top-level path', () => {
    expect(new Set(STAFF_PREFIXES).size).toBe(STAFF_PREFIXES.length);
    for (const prefix of STAFF_PREFIXES) expect(prefix).toMatch(/^\/[a-z]+$/);
  });
});
