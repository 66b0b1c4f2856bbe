/** Who is logged in, as ID-porten told us; kept in the server-side session only. */
export interface ResidentIdentity {
  kind: 'resident';
  /** National identity number (fødselsnummer or D-number) from the `pid` claim. Never logged. */
  pid: string;
  /** The assurance level of this login (`idporten-loa-substantial` or `idporten-loa-high`). */
  acr: string;
  name?: string;
  /** ID-porten's session id, for front-channel logout. */
  sid?: string;
  issuer: string;
  /** The raw ID token, sent back as `id_token_hint` on logout. */
  idToken: string;
}

/** Why a login that the provider completed is still refused. */
export class LoginRefusedError extends Error {
  constructor(readonly reason: 'missingPid' | 'acrTooLow' | 'invalidPid' | 'notYetValid') {
    super(`Login refused: ${reason}`);
  }
}
