import type { Request, Response } from 'express';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { LOGOUT_CONTINUE_PATH, ROUTES } from './idporten.constants';

/**
 * ID-porten logs out at once; oidc-provider first shows a page whose form (with an anti-forgery
 * token kept in the session) the user must submit. These two pieces skip that page: the end-session
 * response becomes a redirect carrying the token, and the continuation submits the form for the
 * browser, passing its cookies along and the provider's answer (cookies, redirect) back.
 */
export function skipLogoutConfirmation(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    // ctx.oidc exists only on the provider's own routes, and by now the session has been saved.
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    const secret =
      oidc?.route === 'end_session' && ctx.status === 200 ? oidc.session?.state?.secret : undefined;
    if (typeof secret !== 'string') return;
    ctx.status = 303;
    ctx.redirect(`${LOGOUT_CONTINUE_PATH}?${new URLSearchParams({ xsrf: secret })}`);
  });
}

const RELAYED_HEADERS = ['location', 'content-type', 'cache-control'];

export function logoutContinuation(internalOrigin: string) {
  return async (req: Request, res: Response): Promise<void> => {
    const xsrf = typeof req.query.xsrf === 'string' ? req.query.xsrf : '';
    const confirmed = await fetch(`${internalOrigin}${ROUTES.end_session}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
      },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    res.status(confirmed.status);
    for (const cookie of confirmed.headers.getSetCookie()) res.append('set-cookie', cookie);
    for (const name of RELAYED_HEADERS) {
      const value = confirmed.headers.get(name);
      if (value) res.set(name, value);
    }
    res.send(Buffer.from(await confirmed.arrayBuffer()));
  };
}
