import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { CookieAgent } from '../support/cookie-agent';
import { HostAgent } from '../support/host-agent';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

describe('Staff login (e2e)', () => {
  let env: PortalWithStaff;

  beforeAll(async () => {
    env = await startPortalWithStaff();
  });
  afterAll(() => env.close());

  it('logs the officer in and shows who is signed in and their roles here', async () => {
    const agent = await loginAsStaff(env.t.url, 'officer');
    const res = await agent.get('/saksbehandler');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Siri Saksbehandler');
    expect(html).toContain('Saksbehandler økonomi');
    expect(html).toContain('href="/saksbehandler/regelverk"');
  });

  it('records the login in the municipality audit chain', async () => {
    await loginAsStaff(env.t.url, 'approver');
    const entries = await env.t
      .em()
      .find(AuditEntry, { municipalityId: env.a.id, type: 'staff.login' });
    expect(entries.map((e) => e.subjectId)).toContain('staff:demo-approver-arne');
  });

  it('sends a visitor to the staff login', async () => {
    const res = await new CookieAgent(env.t.url).get('/saksbehandler');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/saksbehandler/logg-inn?return=%2Fsaksbehandler');
  });

  it('does not count the officer of A on B', async () => {
    const agent = await loginAsStaff(new HostAgent(env.t.url, env.hostA), 'officer');
    const onB = new HostAgent(env.t.url, env.hostB, agent.cookies);
    expect((await onB.get('/saksbehandler')).status).toBe(303);
  });
});
