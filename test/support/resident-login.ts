import { browserlessLogin } from '../../dev/idporten/testing/browserless-login';
import { CookieAgent } from './cookie-agent';

/** A resident logged in to the portal through the test ID-porten; returns their cookie agent. */
export async function loginAs(portalUrl: string, pid: string, acr?: string): Promise<CookieAgent> {
  const agent = new CookieAgent(portalUrl);
  const start = await agent.get('/auth/login');
  const { callbackUrl } = await browserlessLogin(new URL(start.headers.get('location') ?? ''), {
    pid,
    acr,
  });
  const done = await agent.get(callbackUrl.href);
  if (done.status !== 303) throw new Error(`login as resident failed: ${done.status}`);
  return agent;
}
