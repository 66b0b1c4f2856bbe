import type { CurrentMunicipality } from '../tenancy';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User {}
    interface Request {
      /** The signed-in person, set by the session layer. */
      user?: User;
      /** The municipality this request is served for (tenancy middleware). */
      municipality?: CurrentMunicipality;
      /** Where links and redirect URIs for this request point: a configured host, never the Host header alone. */
      publicOrigin?: string;
      /** The language resolved for this request (locals middleware). */
      i18nLang?: string;
      /** Binds CSRF tokens to the server-side session once there is one. */
      sessionBinding?: string;
    }
  }
}

export {};
