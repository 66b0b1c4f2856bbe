import { generateKeyPairSync } from 'node:crypto';
import {
  CHECKPOINT_KIND,
  parseStatement,
  signedBy,
  signStatement,
  statementText,
} from './checkpoint-statement';

const statement = {
  municipalityId: '6f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f',
  municipality: 'fjordvik',
  seq: 42,
  hash: 'a'.repeat(64),
  time: '2026-12-06T03:00:00.000Z',
  keyId: 'k1',
};
const keys = () => generateKeyPairSync('ed25519');

describe('statementText', () => {
  it('writes canonical JSON with the kind and version, keys sorted', () => {
    expect(statementText({ ...statement })).toBe(
      `{"hash":"${'a'.repeat(64)}","keyId":"k1","kind":"${CHECKPOINT_KIND}","municipality":"fjordvik","municipalityId":"6f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f","seq":42,"time":"2026-12-06T03:00:00.000Z","v":1}`,
    );
  });
});

describe('signedBy', () => {
  it('finds the key that signed the text among several', () => {
    const [a, b] = [keys(), keys()];
    const text = statementText(statement);
    expect(signedBy(text, signStatement(text, b.privateKey), [a.publicKey, b.publicKey])).toBe(
      b.publicKey,
    );
  });

  it('finds none when the text was changed after signing', () => {
    const a = keys();
    const signature = signStatement(statementText(statement), a.privateKey);
    const changed = statementText({ ...statement, hash: 'b'.repeat(64) });
    expect(signedBy(changed, signature, [a.publicKey])).toBeUndefined();
  });

  it('finds none when another key signed it, or the signature is not 64 bytes', () => {
    const [a, other] = [keys(), keys()];
    const text = statementText(statement);
    expect(signedBy(text, signStatement(text, other.privateKey), [a.publicKey])).toBeUndefined();
    expect(signedBy(text, 'AAAA', [a.publicKey])).toBeUndefined();
  });
});

describe('parseStatement', () => {
  it('reads back what statementText wrote', () => {
    expect(parseStatement(statementText(statement))).toEqual({
      ...statement,
      kind: CHECKPOINT_KIND,
      v: 1,
    });
  });

  it.each([
    ['not JSON', '{'],
    ['another kind', JSON.stringify({ ...statement, kind: 'jwt', v: 1 })],
    [
      'a seq that is text',
      JSON.stringify({ ...statement, kind: CHECKPOINT_KIND, v: 1, seq: '42' }),
    ],
    ['null', 'null'],
  ])('gives undefined for %s', (_what, text) => {
    expect(parseStatement(text)).toBeUndefined();
  });
});
