import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { checkGrant, publicKeyOf } from './maskinporten-grant';
import { makeClientKey } from './svarut-server';

const key = makeClientKey();
const AUD = 'http://127.0.0.1:1/';
const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);

function grant(claims: Record<string, unknown>, privateKey = key.privateKey, alg = 'RS256') {
  const iat = Math.floor(NOW / 1000);
  const body = {
    aud: AUD,
    iss: 'client',
    scope: 'ks:fiks',
    iat,
    exp: iat + 60,
    jti: randomUUID(),
    ...claims,
  };
  const input = `${Buffer.from(JSON.stringify({ alg })).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(privateKey)).toString('base64url')}`;
}

const check = (assertion: string, seenJti = new Set<string>()) =>
  checkGrant(assertion, {
    audience: AUD,
    clients: new Map([['client', publicKeyOf(key.publicKey)]]),
    seenJti,
    now: NOW,
  });

describe('checkGrant (the Maskinporten stand-in)', () => {
  it('accepts a grant signed by the client’s key', () => {
    expect(check(grant({}))).toEqual({ ok: true, clientId: 'client', scope: 'ks:fiks' });
  });

  it.each([
    ['another key', grant({}, makeClientKey().privateKey), 'invalid signature'],
    ['another audience', grant({ aud: 'https://maskinporten.no/' }), 'invalid audience'],
    ['an unknown client', grant({ iss: 'other' }), 'unknown client'],
    [
      'a lifetime over 120 s',
      grant({ exp: Math.floor(NOW / 1000) + 121 }),
      'exp must be at most 120 seconds after iat',
    ],
    [
      'an expired grant',
      grant({ iat: NOW / 1000 - 200, exp: NOW / 1000 - 100 }),
      'jwt expired or not yet valid',
    ],
    ['no scope', grant({ scope: '' }), 'missing scope'],
    ['HS256', grant({}, key.privateKey, 'HS256'), 'alg must be RS256'],
  ])('refuses %s', (_what, assertion, description) => {
    expect(check(assertion)).toEqual({ ok: false, description });
  });

  it('refuses a grant used twice (its jti)', () => {
    const seen = new Set<string>();
    const once = grant({});
    expect(check(once, seen).ok).toBe(true);
    expect(check(once, seen)).toEqual({ ok: false, description: 'jti missing or reused' });
  });
});
