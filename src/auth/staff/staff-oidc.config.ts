import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../../config/config.error';
import { parseStaffRoleMap, type StaffRoleMap } from './staff-role-map';

const minutes = (max: number) => z.coerce.number().int().min(1).max(max);

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  STAFF_OIDC_ISSUER: z
    .url({
      protocol: /^https?$/,
      error: 'must be the issuer URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0',
    })
    .optional(),
  STAFF_OIDC_CLIENT_ID: z.string().min(1, 'must not be empty').optional(),
  STAFF_OIDC_CLIENT_AUTH: z
    .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
    .default('client_secret_basic'),
  STAFF_OIDC_CLIENT_SECRET: z.string().min(1, 'must not be empty').optional(),
  STAFF_OIDC_PRIVATE_KEY: z.string().min(1).optional(),
  STAFF_OIDC_KEY_ID: z.string().min(1).optional(),
  STAFF_OIDC_SCOPE: z.string().default('openid profile'),
  STAFF_OIDC_REDIRECT_URI: z.url().optional(),
  STAFF_OIDC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  STAFF_OIDC_TEST_LOGIN: z.enum(['true', 'false']).default('false'),
  STAFF_ROLES_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'must be a claim name, e.g. roles or groups')
    .default('roles'),
  STAFF_ROLE_MAP: z.string().optional(),
  STAFF_SESSION_IDLE_MINUTES: minutes(240).default(30),
  STAFF_SESSION_ABSOLUTE_MINUTES: minutes(24 * 60).default(8 * 60),
});

function refuse(message: string): never {
  throw new ConfigError(`Invalid configuration: ${message}`);
}

/**
 * The staff login: the municipality's own OpenID provider (Microsoft Entra ID or another), a client
 * and a session of its own, and the mapping from a claim's values to roles per municipality.
 */
export const staffOidcConfig = registerAs('staffOidc', () => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(`${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const testLogin = env.STAFF_OIDC_TEST_LOGIN === 'true';
  if (production && testLogin)
    refuse(
      'STAFF_OIDC_TEST_LOGIN must not be used in production (the embedded test login accepts anyone)',
    );
  if (production && env.STAFF_OIDC_ISSUER?.startsWith('http:'))
    refuse('STAFF_OIDC_ISSUER must be https in production');
  const issuer = env.STAFF_OIDC_ISSUER;
  if (issuer && !env.STAFF_OIDC_CLIENT_ID)
    refuse('STAFF_OIDC_CLIENT_ID must be set when STAFF_OIDC_ISSUER is set');
  if (issuer && env.STAFF_OIDC_CLIENT_AUTH === 'private_key_jwt' && !env.STAFF_OIDC_PRIVATE_KEY)
    refuse('STAFF_OIDC_PRIVATE_KEY must be set for STAFF_OIDC_CLIENT_AUTH=private_key_jwt');
  if (issuer && env.STAFF_OIDC_CLIENT_AUTH !== 'private_key_jwt' && !env.STAFF_OIDC_CLIENT_SECRET)
    refuse(
      `STAFF_OIDC_CLIENT_SECRET must be set for STAFF_OIDC_CLIENT_AUTH=${env.STAFF_OIDC_CLIENT_AUTH}`,
    );
  if (issuer && !env.STAFF_ROLE_MAP)
    refuse(
      'STAFF_ROLE_MAP must be set when STAFF_OIDC_ISSUER is set (JSON: claim value → ["<municipality slug>:<role>", …])',
    );
  if (env.STAFF_SESSION_IDLE_MINUTES > env.STAFF_SESSION_ABSOLUTE_MINUTES)
    refuse('STAFF_SESSION_IDLE_MINUTES must not be longer than STAFF_SESSION_ABSOLUTE_MINUTES');
  let roleMap: StaffRoleMap = new Map();
  if (env.STAFF_ROLE_MAP !== undefined) {
    const map = parseStaffRoleMap(env.STAFF_ROLE_MAP);
    if (typeof map === 'string') refuse(`STAFF_ROLE_MAP ${map}`);
    roleMap = map;
  }
  return {
    enabled: Boolean(issuer),
    issuer,
    clientId: env.STAFF_OIDC_CLIENT_ID ?? '',
    clientAuth: env.STAFF_OIDC_CLIENT_AUTH,
    clientSecret: env.STAFF_OIDC_CLIENT_SECRET,
    privateKey: env.STAFF_OIDC_PRIVATE_KEY,
    keyId: env.STAFF_OIDC_KEY_ID,
    scope: env.STAFF_OIDC_SCOPE,
    redirectUri: env.STAFF_OIDC_REDIRECT_URI,
    postLogoutRedirectUri: env.STAFF_OIDC_POST_LOGOUT_REDIRECT_URI,
    allowHttpIssuer: !production,
    testLogin,
    rolesClaim: env.STAFF_ROLES_CLAIM,
    roleMap,
    idleMinutes: env.STAFF_SESSION_IDLE_MINUTES,
    absoluteMinutes: env.STAFF_SESSION_ABSOLUTE_MINUTES,
  };
});
export type StaffOidcConfig = ConfigType<typeof staffOidcConfig>;
