import type { Response } from 'express';

/**
 * Answers a provider's front-channel logout (OpenID Connect Front-Channel Logout 1.0): the
 * provider loads the URL in a hidden frame when the person logs out of another service, with
 * its `iss` and the `sid` of the provider session. The request carries no cookie we can rely
 * on, so the sessions are found by that `sid`; a request naming another issuer, or no `sid`,
 * ends nothing. Only the provider's own pages may frame the answer.
 */
export async function answerFrontChannelLogout(
  res: Response,
  issuer: string | undefined,
  query: { iss?: unknown; sid?: unknown },
  end: (issuer: string, sid: string) => Promise<number>,
): Promise<void> {
  res.setHeader('Cache-Control', 'no-cache, no-store');
  if (issuer) {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; frame-ancestors ${new URL(issuer).origin}`,
    );
    res.removeHeader('X-Frame-Options');
  }
  const { iss, sid } = query;
  if (!issuer || iss !== issuer || typeof sid !== 'string' || sid === '') {
    res.status(400).type('text/plain').send('Unknown issuer or missing sid');
    return;
  }
  const ended = await end(issuer, sid);
  res
    .status(200)
    .type('text/plain')
    .send(ended > 0 ? 'Logged out' : 'No session');
}
