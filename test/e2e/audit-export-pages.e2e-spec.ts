import { createPublicKey } from 'node:crypto';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { verifyExport } from '../../src/audit/export/export-verifier';
import { todayInNorway } from '../../src/shared/calendar-date';
import { CookieAgent } from '../support/cookie-agent';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/revisjon/eksport';

async function* each(lines: readonly string[]) {
  yield* lines;
}

describe('The auditors’ export page (e2e)', () => {
  let env: PortalWithStaff;
  beforeAll(async () => {
    env = await startPortalWithStaff();
  });
  afterAll(() => env?.close());

  it('shows the public key, signs a checkpoint on demand, and exports a period the offline verifier accepts with that key', async () => {
    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const page = await (await auditor.get(BASE)).text();
    const pem = /(-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----)/.exec(page)![1];
    // As a person copies it from the page: Handlebars wrote '=' as an entity.
    const key = createPublicKey(pem.replace(/&#x3D;/g, '=').replace(/&#x2F;/g, '/'));

    const made = await auditor.postForm(`${BASE}/kontrollpunkt`, {
      _csrf: CookieAgent.csrfToken(page),
    });
    expect(made.status).toBe(303);
    expect(await (await auditor.get(made.headers.get('location')!)).text()).toContain(
      'Siste kontrollpunkt: oppføring nr.',
    );

    const today = todayInNorway();
    const res = await auditor.get(`${BASE}/fil?fra=${today}&til=${today}&format=jsonl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="revisjonslogg-/);
    const lines = (await res.text()).trimEnd().split('\n');
    const report = await verifyExport(each(lines), [key]);
    // The logins of this test are in A's chain; the checkpoint covers them.
    expect(report).toMatchObject({ ok: true, checkpointsVerified: 1 });
    expect(report.entries).toBeGreaterThanOrEqual(2);

    const csv = await auditor.get(`${BASE}/fil?fra=${today}&til=${today}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte order mark first, so a spreadsheet reads it as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'seq;type;subject_id;created_at;payload_hash;prev_hash;hash;in_period;payload',
    );

    // Who exported what is itself in the chain.
    const exported = await env.t.em().find(AuditEntry, { type: 'audit.exported' });
    expect(exported.map((e) => e.payload)).toEqual([
      expect.objectContaining({ actor: 'staff:demo-auditor-runa', format: 'jsonl', from: today }),
      expect.objectContaining({ format: 'csv' }),
    ]);
  });

  it('refuses a period without a start or with its end first, beside the field, and exports nothing', async () => {
    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const before = await env.t.em().count(AuditEntry, { type: 'audit.exported' });
    const missing = await auditor.get(`${BASE}/fil?format=jsonl`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Fyll inn en dato.');
    const backwards = await auditor.get(`${BASE}/fil?fra=2026-12-05&til=2026-12-01`);
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('Til-datoen kan ikke være før fra-datoen.');
    expect(await env.t.em().count(AuditEntry, { type: 'audit.exported' })).toBe(before);
  });
});
