import type { Request } from 'express';
import { SessionEndedError } from '../auth.errors';
import { sessionEndedOnRefusedToken } from './session-ended';

const post = (path: string, user?: object) => ({ path, user }) as unknown as Request;

describe(sessionEndedOnRefusedToken.name, () => {
  it.each([
    [
      '/fakturaer/9b2c7e1a-0d3f-4a55-8e1b-2f6c3d4e5a6b/utsettelse',
      '/fakturaer/9b2c7e1a-0d3f-4a55-8e1b-2f6c3d4e5a6b',
    ],
    ['/saker/UTS-7K3M-Q9TX/saksbehandler', '/saker/UTS-7K3M-Q9TX'],
    ['/saker/UTS-7K3M-Q9TX/svar', '/saker/UTS-7K3M-Q9TX'],
  ])('answers a form to %s with no one signed in by a login back to %s', (path, back) => {
    const error = sessionEndedOnRefusedToken(post(path));
    expect(error).toBeInstanceOf(SessionEndedError);
    expect(error).toMatchObject({
      status: 401,
      offersLogin: true,
      loginPath: `/auth/login?returnTo=${encodeURIComponent(back)}`,
    });
  });

  it.each([
    ['//evil.example/x/y', 'another host'],
    ['/fakturaer/a"b/utsettelse', 'a quote in the id'],
    ['/fakturaer/a/b/utsettelse', 'a deeper path'],
    ['/fakturaer/%0d%0aLocation:x/utsettelse', 'an encoded line break'],
    ['/auth/logout', 'no resident form'],
    ['/no-such-form', 'no form at all'],
  ])('leaves a post to %s (%s) a 403, with no page to return to', (path) => {
    expect(sessionEndedOnRefusedToken(post(path))).toBe(undefined);
  });

  it('leaves a refused token a 403 while someone is signed in, and on staff pages', () => {
    expect(sessionEndedOnRefusedToken(post('/fakturaer/x/utsettelse', { kind: 'resident' }))).toBe(
      undefined,
    );
    expect(sessionEndedOnRefusedToken(post('/saksbehandler/saker/x/godkjenning'))).toBe(undefined);
    expect(sessionEndedOnRefusedToken(post('/revisjon/eksport/x'))).toBe(undefined);
  });
});
