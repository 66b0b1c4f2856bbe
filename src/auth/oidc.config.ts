import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

export const ACR_LEVELS = ['idporten-loa-substantial', 'idporten-loa-high'] as const;
export type AcrLevel = (typeof ACR_LEVELS)[number];

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: 'must be the issuer URL, e.g. https://test.idporten.no' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_AUTH: z
    .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
    .default('client_secret_basic'),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_PRIVATE_KEY: z.string().min(1).optional(),
  OIDC_KEY_ID: z.string().min(1).optional(),
  OIDC_ACR: z.enum(ACR_LEVELS).default('idporten-loa-substantial'),
  OIDC_SCOPE: z.string().default('openid profile'),
  OIDC_REDIRECT_URI: z.url().optional(),
  OIDC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  OIDC_TEST_LOGIN: z.enum(['true', 'false']).default('false'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
  SESSION_ABSOLUTE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(120),
});

/**
 * ID-porten (or any provider shaped like it). One build logs in against ID-porten's test or
 * production environment by these settings alone; plain http issuers only outside production.
 */
export const oidcConfig = registerAs('oidc', () => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const testLogin = env.OIDC_TEST_LOGIN === 'true';
  if (production && testLogin) {
    throw new ConfigError(
      'Invalid configuration: OIDC_TEST_LOGIN must not be used in production (the embedded test login accepts anyone)',
    );
  }
  if (production && env.OIDC_ISSUER?.startsWith('http:')) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER must be https in production');
  }
  if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
    throw new ConfigError(
      'Invalid configuration: OIDC_CLIENT_ID must be set when OIDC_ISSUER is set',
    );
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_AUTH === 'private_key_jwt' && !env.OIDC_PRIVATE_KEY) {
    throw new ConfigError(
      'Invalid configuration: OIDC_PRIVATE_KEY must be set for OIDC_CLIENT_AUTH=private_key_jwt',
    );
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_AUTH !== 'private_key_jwt' && !env.OIDC_CLIENT_SECRET) {
    throw new ConfigError(
      `Invalid configuration: OIDC_CLIENT_SECRET must be set for OIDC_CLIENT_AUTH=${env.OIDC_CLIENT_AUTH}`,
    );
  }
  return {
    enabled: Boolean(env.OIDC_ISSUER),
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID ?? '',
    clientAuth: env.OIDC_CLIENT_AUTH,
    clientSecret: env.OIDC_CLIENT_SECRET,
    privateKey: env.OIDC_PRIVATE_KEY,
    keyId: env.OIDC_KEY_ID,
    acr: env.OIDC_ACR,
    scope: env.OIDC_SCOPE,
    redirectUri: env.OIDC_REDIRECT_URI,
    postLogoutRedirectUri: env.OIDC_POST_LOGOUT_REDIRECT_URI,
    allowHttpIssuer: !production,
    testLogin,
    idleMinutes: env.SESSION_IDLE_MINUTES,
    absoluteMinutes: env.SESSION_ABSOLUTE_MINUTES,
  };
});
export type OidcConfig = ConfigType<typeof oidcConfig>;

/** True when `acr` is at least `required` on ID-porten's scale (substantial < high). */
export function acrSatisfies(acr: unknown, required: AcrLevel): boolean {
  const rank = ACR_LEVELS.indexOf(acr as AcrLevel);
  return rank >= 0 && rank >= ACR_LEVELS.indexOf(required);
}
