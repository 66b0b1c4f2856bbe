import { SessionCipher } from './session-cipher';

describe('SessionCipher', () => {
  const cipher = new SessionCipher('a'.repeat(40));
  const data = { user: { pid: '12838512311', idToken: 'eyJhbGciOi.secret-token' } };

  it('V14.2.4: seals a session so that neither the identity number nor the token is readable', () => {
    const sealed = JSON.stringify(cipher.seal('sid-1', data));
    expect(sealed).not.toContain('12838512311');
    expect(sealed).not.toContain('secret-token');
    expect(cipher.open('sid-1', JSON.parse(sealed))).toEqual(data);
  });

  it('opens nothing sealed for another session id, under another secret, or altered', () => {
    const sealed = cipher.seal('sid-1', data);
    expect(cipher.open('sid-2', sealed)).toBeUndefined();
    expect(new SessionCipher('b'.repeat(40)).open('sid-1', sealed)).toBeUndefined();
    const flipped = Buffer.from(sealed.data, 'base64url');
    flipped[0] ^= 1;
    expect(
      cipher.open('sid-1', { ...sealed, data: flipped.toString('base64url') }),
    ).toBeUndefined();
  });

  it('opens nothing that was stored in clear', () => {
    expect(cipher.open('sid-1', data)).toBeUndefined();
    expect(cipher.open('sid-1', null)).toBeUndefined();
  });
});
