import { isStaffRole, STAFF_ROLES, type StaffRole } from './staff-role';

/** Claim value → the roles it gives, per municipality slug. */
export type StaffRoleMap = ReadonlyMap<string, ReadonlyArray<{ slug: string; role: StaffRole }>>;

const SLUG = /^[a-z0-9-]+$/;
const EXAMPLE = '{"fin-fjordvik":["fjordvik:finance-officer"]}';

/**
 * Parses `STAFF_ROLE_MAP`: a JSON object from claim values (an Entra ID group id or app role, a
 * Keycloak role …) to lists of `"<municipality slug>:<role>"`. Returns the problem as one line, or
 * the map.
 */
export function parseStaffRoleMap(text: string): StaffRoleMap | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `must be JSON like ${EXAMPLE}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return `must be a JSON object like ${EXAMPLE}`;
  const map = new Map<string, Array<{ slug: string; role: StaffRole }>>();
  for (const [claimValue, grants] of Object.entries(raw as Record<string, unknown>)) {
    if (claimValue === '') return 'has an empty claim value';
    if (!Array.isArray(grants) || grants.some((g) => typeof g !== 'string'))
      return `must map ${JSON.stringify(claimValue)} to a list of "<municipality slug>:<role>" strings`;
    const entries: Array<{ slug: string; role: StaffRole }> = [];
    for (const grant of grants as string[]) {
      const [slug, role, ...rest] = grant.split(':');
      if (rest.length > 0 || role === undefined || !SLUG.test(slug))
        return `has ${JSON.stringify(grant)} for ${JSON.stringify(claimValue)}; write "<municipality slug>:<role>"`;
      if (!isStaffRole(role))
        return `has an unknown role ${JSON.stringify(role)} for ${JSON.stringify(claimValue)}; the roles are ${STAFF_ROLES.join(', ')}`;
      entries.push({ slug, role });
    }
    map.set(claimValue, entries);
  }
  return map;
}

/** Every municipality slug the map names, sorted. */
export function roleMapSlugs(map: StaffRoleMap): string[] {
  return [...new Set([...map.values()].flatMap((grants) => grants.map((g) => g.slug)))].sort();
}

/**
 * The roles a member of staff holds in one municipality: those their claim values are mapped to
 * there. A claim value not in the map gives nothing; so does a claim that is not a string or a
 * list of strings.
 */
export function rolesIn(map: StaffRoleMap, claim: unknown, slug: string): StaffRole[] {
  const values =
    typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter(isString) : [];
  const roles = new Set<StaffRole>();
  for (const value of values)
    for (const grant of map.get(value) ?? []) if (grant.slug === slug) roles.add(grant.role);
  return STAFF_ROLES.filter((role) => roles.has(role));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
