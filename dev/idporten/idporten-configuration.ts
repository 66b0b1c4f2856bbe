import { randomBytes, type JsonWebKey } from 'node:crypto';
import {
  interactionPolicy,
  type ClientMetadata,
  type Configuration,
  type Grant,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { renderErrorPage, renderLoggedOutPage } from './login-page';
import {
  INTERACTION_PATH,
  LEVELS_OF_ASSURANCE,
  levelSatisfies,
  pickUiLocale,
  requestedLevel,
  ROUTES,
  UI_LOCALES,
} from './idporten.constants';
import { createMemoryAdapterFactory } from './memory.adapter';
import type { ResidentAccounts } from './resident-accounts';
import type { StaffAccounts } from './staff-accounts';

export type TokenEndpointAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** A client (relying party) registered at start, like one registered in Digdir's self-service. */
export interface TestIdportenClient {
  clientId: string;
  /** Required for the client_secret_* methods. */
  clientSecret?: string;
  /** Public keys; required for private_key_jwt. */
  jwks?: { keys: JsonWebKey[] };
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Gets a signed logout_token (with `sid`) when the resident logs out anywhere. */
  backchannelLogoutUri?: string;
  /** The portal's staff login: its page offers the demo staff instead of residents. */
  staff?: boolean;
}

function clientMetadata(client: TestIdportenClient): ClientMetadata {
  const usesSecret = client.tokenEndpointAuthMethod !== 'private_key_jwt';
  if (usesSecret && !client.clientSecret) {
    throw new Error(
      `Test ID-porten: client ${client.clientId} uses ${client.tokenEndpointAuthMethod} but has no clientSecret`,
    );
  }
  if (!usesSecret && !client.jwks?.keys.length) {
    throw new Error(
      `Test ID-porten: client ${client.clientId} uses private_key_jwt but has no jwks`,
    );
  }
  return {
    client_id: client.clientId,
    // Copied here so each key is a plain object of this realm (see memory.adapter.ts).
    ...(usesSecret
      ? { client_secret: client.clientSecret }
      : { jwks: { keys: client.jwks!.keys.map((key) => ({ ...key })) } }),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    ...(client.backchannelLogoutUri
      ? {
          backchannel_logout_uri: client.backchannelLogoutUri,
          backchannel_logout_session_required: true,
        }
      : {}),
  };
}

/**
 * The login prompt, plus a step-up: a session at substantial does not satisfy a request for high.
 * A browser's single sign-on session counts only for the kind of client it was made for: a
 * resident's login is no staff login, and a member of staff's is no resident's.
 */
function interactionPolicyWithStepUp(
  isStaffClient: (clientId: unknown) => boolean,
  staff: StaffAccounts,
) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(
    new interactionPolicy.Check(
      'account_kind',
      'the session belongs to the other kind of client',
      (ctx) =>
        isStaffClient(ctx.oidc.client?.clientId) === staff.has(ctx.oidc.session?.accountId)
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  login?.checks.add(
    new interactionPolicy.Check(
      'acr_step_up',
      'requested level of assurance exceeds the session',
      (ctx) =>
        isStaffClient(ctx.oidc.client?.clientId) ||
        levelSatisfies(ctx.oidc.session?.acr, requestedLevel(ctx.oidc.params?.acr_values))
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

/** No consent page (ID-porten has none): every client gets a grant for the scopes it asked for. */
async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const clientId = oidc.client?.clientId;
  const accountId = oidc.session?.accountId;
  if (!clientId || !accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
  const grant = grantId
    ? await oidc.provider.Grant.find(grantId)
    : new oidc.provider.Grant({ clientId, accountId });
  if (!grant) return undefined;
  grant.addOIDCScope([...oidc.requestParamScopes].join(' ') || 'openid');
  if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

function localeOf(ctx: KoaContextWithOIDC) {
  return pickUiLocale(ctx.oidc?.params?.ui_locales);
}

export interface ConfigurationDependencies {
  clients: TestIdportenClient[];
  signingKey: JsonWebKey & { kid: string };
  accounts: ResidentAccounts;
  staffAccounts: StaffAccounts;
}

export function idportenConfiguration({
  clients,
  signingKey,
  accounts,
  staffAccounts,
}: ConfigurationDependencies): Configuration {
  const staffClients = new Set(clients.filter((c) => c.staff).map((c) => c.clientId));
  return {
    adapter: createMemoryAdapterFactory(clients.map(clientMetadata)),
    jwks: { keys: [signingKey] },
    findAccount: async (ctx: unknown, sub: string) =>
      staffAccounts.findAccount(sub) ?? (await accounts.findAccount(ctx, sub)),
    routes: ROUTES,
    // Only claims listed under a granted scope reach the ID token; acr, amr, sid and auth_time too.
    // A staff account also has name, roles and groups (a resident account has none of them).
    claims: {
      openid: ['sub', 'pid', 'locale', 'acr', 'amr', 'sid', 'auth_time', 'name', 'roles', 'groups'],
      profile: [],
    },
    scopes: ['openid', 'profile'],
    acrValues: [...LEVELS_OF_ASSURANCE],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    // oidc-provider 9 requires PKCE only for public clients by default; ID-porten requires it always.
    pkce: { required: () => true },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    discovery: { ui_locales_supported: [...UI_LOCALES] },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) =>
        `${INTERACTION_PATH}/${interaction.uid}`,
      policy: interactionPolicyWithStepUp(
        (clientId) => staffClients.has(clientId as string),
        staffAccounts,
      ),
    },
    loadExistingGrant,
    clientBasedCORS: () => false,
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Browsers share cookies across ports of one host: keep clear of the portal's names.
      names: {
        session: '_idporten_session',
        interaction: '_idporten_interaction',
        resume: '_idporten_resume',
      },
    },
    ttl: {
      AccessToken: 120,
      AuthorizationCode: 60,
      IdToken: 120,
      Interaction: 30 * 60,
      Session: 2 * 60 * 60,
      Grant: 2 * 60 * 60,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Never shown: test-idporten.ts sends the browser straight on (ID-porten does not ask).
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = form;
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage(localeOf(ctx));
        },
      },
    },
    // oidc-provider refuses outgoing requests to loopback addresses; the clients here live there.
    fetch: (url: string | URL, options: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _ignored, ...rest } = options;
      return globalThis.fetch(url, rest);
    },
    renderError: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(localeOf(ctx), out.error, out.error_description);
    },
  };
}
