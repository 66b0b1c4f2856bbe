import { createPrivateKey } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import * as client from 'openid-client';
import { ConfigError } from '../config/config.error';
import { type OidcConfig, oidcConfig } from './oidc.config';

export const OIDC_CLIENT = Symbol('OIDC_CLIENT');

/** What discovery needs of a client's settings: the residents' (ID-porten) or the staff login's. */
export type OidcClientSettings = Pick<
  OidcConfig,
  | 'enabled'
  | 'issuer'
  | 'clientId'
  | 'clientAuth'
  | 'clientSecret'
  | 'privateKey'
  | 'keyId'
  | 'allowHttpIssuer'
>;

async function clientAuth(config: OidcClientSettings): Promise<client.ClientAuth> {
  switch (config.clientAuth) {
    case 'client_secret_post':
      return client.ClientSecretPost(config.clientSecret);
    case 'private_key_jwt': {
      // PEM (PKCS#8) or a JWK in JSON; ID-porten wants iss = sub = client_id, which openid-client sends.
      const text = config.privateKey ?? '';
      const keyObject = text.trim().startsWith('{')
        ? createPrivateKey({
            key: JSON.parse(text) as import('node:crypto').JsonWebKey,
            format: 'jwk',
          })
        : createPrivateKey(text);
      const key = await crypto.subtle.importKey(
        'jwk',
        keyObject.export({ format: 'jwk' }),
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      return client.PrivateKeyJwt({ key, kid: config.keyId });
    }
    default:
      return client.ClientSecretBasic(config.clientSecret);
  }
}

/**
 * The provider's metadata, discovered once at start and kept. ID-token signatures are checked
 * against the provider's published keys (openid-client trusts TLS alone unless told otherwise).
 */
export async function discoverOidcClient(
  config: OidcClientSettings,
): Promise<client.Configuration | null> {
  if (!config.enabled || !config.issuer) return null;
  const execute = [client.enableNonRepudiationChecks];
  if (config.issuer.startsWith('http:') && config.allowHttpIssuer)
    execute.push(client.allowInsecureRequests);
  try {
    return await client.discovery(
      new URL(config.issuer),
      config.clientId,
      undefined,
      await clientAuth(config),
      {
        execute,
        timeout: 10,
      },
    );
  } catch (error) {
    throw new ConfigError(
      `OpenID discovery at ${config.issuer} failed: ${(error as Error).message}`,
    );
  }
}

export const oidcClientProvider: Provider = {
  provide: OIDC_CLIENT,
  inject: [oidcConfig.KEY],
  useFactory: discoverOidcClient,
};
