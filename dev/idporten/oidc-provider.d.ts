// oidc-provider ships no types and @types/oidc-provider is not installed. This declares only what
// dev/idporten uses, with the names and shapes of @types/oidc-provider 9.x, so adding that package
// later means deleting this file and nothing else.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type CanBePromise<T> = T | Promise<T>;
  type UnknownObject = Record<string, unknown>;

  export interface AdapterPayload extends UnknownObject {
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata extends UnknownObject {
    client_id: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): CanBePromise<UnknownObject & { sub: string }>;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface Interaction {
    uid: string;
    params: UnknownObject;
    prompt: { name: string; reasons: string[]; details: UnknownObject };
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface Session {
    accountId?: string;
    acr?: string;
    state?: UnknownObject;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface OIDCContext {
    readonly route: string;
    readonly params?: UnknownObject;
    readonly session?: Session;
    readonly client?: { clientId: string };
    readonly result?: InteractionResults & { consent?: { grantId?: string } };
    readonly requestParamScopes: Set<string>;
    readonly requestParamClaims: Set<string>;
    readonly provider: Provider;
  }

  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    method: string;
    path: string;
    status: number;
    type: string;
    body: unknown;
    redirect(url: string): void;
    set(field: string, value: string): void;
  }

  export type Configuration = UnknownObject;

  export namespace interactionPolicy {
    class Check {
      static readonly REQUEST_PROMPT: true;
      static readonly NO_NEED_TO_PROMPT: false;
      constructor(
        reason: string,
        description: string,
        check: (ctx: KoaContextWithOIDC) => CanBePromise<boolean>,
      );
    }
    interface Prompt {
      name: string;
      checks: Check[] & { add(check: Check, index?: number): void };
    }
    interface DefaultPolicy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
    }
    function base(): DefaultPolicy;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Client: { prototype: { includeSid(): boolean } };
    readonly Grant: {
      new (properties: { clientId: string; accountId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    on(event: string, listener: (...args: never[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
  export default Provider;
}
