import { browserlessStaffLogin } from '../../dev/idporten/testing/browserless-login';
import type { DemoStaffPersona } from '../../dev/demo-staff';
import { CookieAgent } from './cookie-agent';
import { HostAgent } from './host-agent';

/**
 * The test provider's demo staff (dev/demo-staff.ts), by what `startPortalWithStaff` makes of them
 * in its municipalities A and B:
 * - officer: finance-officer in A
 * - approver: policy-approver in A
 * - auditor: auditor in A
 * - dual: finance-officer in A and in B (an IT cooperation's officer; log in on each host)
 * - asdal-approver: policy-approver in B
 * - unmapped: signed in, but a claim value the role map does not name: no role anywhere (403)
 */
export type StaffPersona = DemoStaffPersona;

export const STAFF_LOGIN_START = '/saksbehandler/logg-inn';

/**
 * Logs a member of staff in through the real flow (staff login → the test provider's staff page
 * → callback), without a browser, and returns the agent holding the staff session cookie.
 *
 * - `loginAsStaff(t.url, 'officer')`: a new CookieAgent on that URL's host (127.0.0.1 = A).
 * - `loginAsStaff(new HostAgent(t.url, hostB), 'dual')`: through that agent, on the host it names
 *   (a staff session belongs to the municipality it was made on), cookies kept in the agent.
 * - `loginAsStaff(cookieAgent, 'approver')`: the same with an existing CookieAgent.
 *
 * A staff page then answers the agent as that person: `await agent.get('/saksbehandler')`. Forms
 * need the CSRF token from the page (`CookieAgent.csrfToken(html)`), bound to this session.
 */
export async function loginAsStaff(portalUrl: string, persona: StaffPersona): Promise<CookieAgent>;
export async function loginAsStaff<A extends CookieAgent | HostAgent>(
  agent: A,
  persona: StaffPersona,
): Promise<A>;
export async function loginAsStaff(
  target: string | CookieAgent | HostAgent,
  persona: StaffPersona,
): Promise<CookieAgent | HostAgent> {
  const agent = typeof target === 'string' ? new CookieAgent(target) : target;
  const location = await startLocation(agent);
  const { callbackUrl } = await browserlessStaffLogin(location, { persona });
  const status =
    agent instanceof HostAgent
      ? (await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`)).status
      : (await agent.get(callbackUrl.href)).status;
  if (status !== 303) throw new Error(`login as staff (${persona}) failed: ${status}`);
  return agent;
}

async function startLocation(agent: CookieAgent | HostAgent): Promise<string> {
  if (agent instanceof HostAgent) {
    const answer = await agent.get(STAFF_LOGIN_START);
    if (answer.status !== 302 || !answer.location)
      throw new Error(`staff login did not start: ${answer.status}`);
    return answer.location;
  }
  const res = await agent.get(STAFF_LOGIN_START);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`staff login did not start: ${res.status}`);
  return location;
}
