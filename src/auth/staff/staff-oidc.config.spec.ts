import { ConfigError } from '../../config/config.error';
import { staffOidcConfig } from './staff-oidc.config';

const VALID = {
  STAFF_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
  STAFF_OIDC_CLIENT_ID: 'client',
  STAFF_OIDC_CLIENT_SECRET: 'secret',
  STAFF_ROLE_MAP: '{"fin-fjordvik":["fjordvik:finance-officer"]}',
};

function load(env: Record<string, string>) {
  const saved = process.env;
  process.env = { ...env };
  try {
    return staffOidcConfig();
  } finally {
    process.env = saved;
  }
}

function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('staffOidcConfig', () => {
  it('is off without an issuer, with the default lifetimes and claim', () => {
    expect(load({})).toMatchObject({
      enabled: false,
      rolesClaim: 'roles',
      idleMinutes: 30,
      absoluteMinutes: 480,
    });
  });

  it('reads a client, the roles claim and the lifetimes', () => {
    const config = load({
      ...VALID,
      STAFF_ROLES_CLAIM: 'groups',
      STAFF_SESSION_IDLE_MINUTES: '15',
      STAFF_SESSION_ABSOLUTE_MINUTES: '600',
    });
    expect(config).toMatchObject({
      enabled: true,
      clientId: 'client',
      rolesClaim: 'groups',
      idleMinutes: 15,
      absoluteMinutes: 600,
    });
    expect(config.roleMap.get('fin-fjordvik')).toEqual([
      { slug: 'fjordvik', role: 'finance-officer' },
    ]);
  });

  it.each([
    [
      'the embedded test login in production',
      { ...VALID, NODE_ENV: 'production', STAFF_OIDC_TEST_LOGIN: 'true' },
      'Invalid configuration: STAFF_OIDC_TEST_LOGIN must not be used in production (the embedded test login accepts anyone)',
    ],
    [
      'a plain http issuer in production',
      { ...VALID, NODE_ENV: 'production', STAFF_OIDC_ISSUER: 'http://login.example' },
      'Invalid configuration: STAFF_OIDC_ISSUER must be https in production',
    ],
    [
      'an issuer without a client id',
      { ...VALID, STAFF_OIDC_CLIENT_ID: '' },
      'Invalid configuration: STAFF_OIDC_CLIENT_ID must not be empty',
    ],
    [
      'a secret method without a secret',
      { ...VALID, STAFF_OIDC_CLIENT_SECRET: undefined },
      'Invalid configuration: STAFF_OIDC_CLIENT_SECRET must be set for STAFF_OIDC_CLIENT_AUTH=client_secret_basic',
    ],
    [
      'private_key_jwt without a key',
      { ...VALID, STAFF_OIDC_CLIENT_AUTH: 'private_key_jwt' },
      'Invalid configuration: STAFF_OIDC_PRIVATE_KEY must be set for STAFF_OIDC_CLIENT_AUTH=private_key_jwt',
    ],
    [
      'an issuer without a role map',
      { ...VALID, STAFF_ROLE_MAP: undefined },
      'Invalid configuration: STAFF_ROLE_MAP must be set when STAFF_OIDC_ISSUER is set (JSON: claim value → ["<municipality slug>:<role>", …])',
    ],
    [
      'a role map with an unknown role',
      { ...VALID, STAFF_ROLE_MAP: '{"g":["fjordvik:admin"]}' },
      'Invalid configuration: STAFF_ROLE_MAP has an unknown role "admin" for "g"; the roles are finance-officer, policy-approver, auditor, operator',
    ],
    [
      'an idle time longer than the absolute lifetime',
      { ...VALID, STAFF_SESSION_IDLE_MINUTES: '120', STAFF_SESSION_ABSOLUTE_MINUTES: '60' },
      'Invalid configuration: STAFF_SESSION_IDLE_MINUTES must not be longer than STAFF_SESSION_ABSOLUTE_MINUTES',
    ],
    [
      'a claim name with spaces',
      { ...VALID, STAFF_ROLES_CLAIM: 'my roles' },
      'Invalid configuration: STAFF_ROLES_CLAIM must be a claim name, e.g. roles or groups',
    ],
  ])('refuses %s with one line', (_name, env, message) => {
    const defined = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    expect(refusal(defined)).toBe(message);
  });
});
