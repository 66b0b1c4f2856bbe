import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { CookieAgent } from '../support/cookie-agent';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/saksbehandler/regelverk';

/** Posts a form of the page at `pagePath` with that page's CSRF token. */
async function submit(
  agent: CookieAgent,
  pagePath: string,
  action: string,
  form: Record<string, string>,
) {
  const page = await (await agent.get(pagePath)).text();
  return agent.postForm(action, { _csrf: CookieAgent.csrfToken(page), ...form });
}

const draftIdOf = (location: string | null) => /\/utkast\/([0-9a-f-]{36})/.exec(location ?? '')![1];

describe('The policy pages for finance officers and approvers (e2e)', () => {
  let env: PortalWithStaff;

  beforeAll(async () => {
    env = await startPortalWithStaff();
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
  });
  afterAll(() => env?.close());

  it('shows the policy in force as sentences, its parameters and its versions', async () => {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const res = await officer.get(BASE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Innvilges automatisk når');
    expect(html).toContain('under 10\u00a0000\u00a0kr');
    expect(html).toMatch(/Lastet fra fila default\.policy\.json/);
    expect(html).toContain('Lag et utkast fra regelverket i bruk');
  });

  it('takes a lowered limit from the form through submission and another person\u2019s approval into force, audited', async () => {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const created = await submit(officer, BASE, `${BASE}/utkast`, {});
    expect(created.status).toBe(303);
    const id = draftIdOf(created.headers.get('location'));
    const draftPath = `${BASE}/utkast/${id}`;

    // A bad value is refused beside its field, and nothing is saved.
    const refused = await postParameters(officer, draftPath, { maxAmountOre: 'tusen' });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('id="param-maxAmountOre-error"');
    expect(refusedHtml).toContain('value="tusen"');

    const saved = await postParameters(officer, draftPath, { maxAmountOre: '1 500' });
    expect(saved.status).toBe(303);
    const sent = await submit(officer, draftPath, `${draftPath}/send`, { comment: 'Like Åsdal' });
    expect(sent.status).toBe(303);
    expect(await (await officer.get(draftPath)).text()).toContain('venter på godkjenning');

    // The drafter has no approver role; the approver's form is refused to them.
    const ownTry = await submit(officer, draftPath, `${draftPath}/godkjenn`, { comment: 'ok' });
    expect(ownTry.status).toBe(403);

    const approver = await loginAsStaff(env.t.url, 'approver');
    const approvalPage = await (await approver.get(draftPath)).text();
    expect(approvalPage).toContain('Godkjenn og ta i bruk');
    const approved = await submit(approver, draftPath, `${draftPath}/godkjenn`, {
      comment: 'Vedtatt i formannskapet',
    });
    expect(approved.status).toBe(303);

    const overview = await (await officer.get(BASE)).text();
    expect(overview).toContain('under 1\u00a0500\u00a0kr');
    expect(overview).toContain('Vedtatt i formannskapet');
    const active = (await env.t.app.get(PolicyVersionsService).readActive(env.a.id))!;
    expect(JSON.parse(active.text).parameters.maxAmountOre.value).toBe(150_000);
    const types = (
      await env.t.em().find(AuditEntry, { municipalityId: env.a.id }, { orderBy: { seq: 'asc' } })
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'policy.draft_created',
        'policy.draft_saved',
        'policy.draft_submitted',
        'policy.activated',
        'policy.published',
      ]),
    );
  });

  it('tries a draft on facts typed by hand, beside the version in force', async () => {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const created = await submit(officer, BASE, `${BASE}/utkast`, {});
    const id = draftIdOf(created.headers.get('location'));
    const res = await officer.get(`${BASE}/utkast/${id}/prov?kjor=1&amount=2000&unpaidTotal=2000`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Regelverket i bruk');
    expect(html).toContain('Hvilke regler slo til');
    const bad = await (await officer.get(`${BASE}/utkast/${id}/prov?kjor=1&today=igår`)).text();
    expect(bad).toContain('Skriv en dato som ÅÅÅÅ-MM-DD.');
    // Amounts are read as the parameters form reads them, with its messages.
    const amount = await (await officer.get(`${BASE}/utkast/${id}/prov?kjor=1&amount=mye`)).text();
    expect(amount).toContain('Skriv beløpet i kroner med tall');
  });

  it('exports a version as a .policy.json file and imports one as a draft', async () => {
    const officer = await loginAsStaff(env.t.url, 'officer');
    const active = (await env.t.app.get(PolicyVersionsService).readActive(env.a.id))!;
    const file = await officer.get(`${BASE}/versjoner/${active.versionId}/fil`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?standard-betalingsutsettelse-2026\.1\.policy\.json"?$/,
    );
    const text = await file.text();
    expect(JSON.parse(text).id).toBe(active.policyId);

    const imported = await submit(officer, BASE, `${BASE}/import`, { policy: text });
    expect(imported.status).toBe(303);
    const page = await (await officer.get(imported.headers.get('location')!)).text();
    expect(page).toContain('Importert fil');
    expect(page).toContain('Utkastet er likt regelverket i bruk');
    const empty = await submit(officer, BASE, `${BASE}/import`, { policy: '  ' });
    expect(empty.status).toBe(400);

    // As a file, the way the page's file input sends it (multipart), CSRF token included.
    const upload = async (bytes: string, withToken = true) => {
      const html = await (await officer.get(BASE)).text();
      const form = new FormData();
      if (withToken) form.append('_csrf', CookieAgent.csrfToken(html));
      form.append('file', new Blob([bytes], { type: 'application/json' }), 'fjordvik.policy.json');
      return officer.postMultipart(`${BASE}/import`, form);
    };
    const uploaded = await upload(text.replace('"2026.1"', '"2026.2"'));
    expect(uploaded.status).toBe(303);
    const uploadedPage = await (await officer.get(uploaded.headers.get('location')!)).text();
    expect(uploadedPage).toContain('Importert fil');
    expect(uploadedPage).toContain('&quot;2026.2&quot;');
    expect((await upload(text, false)).status).toBe(403);
    expect((await upload('x'.repeat(600 * 1024))).status).toBe(413);
  });
});

/**
 * Posts the draft page's parameters form as a browser would: every field as the page fills it in
 * (each checked box of a list), with `changes` typed over it.
 */
async function postParameters(agent: CookieAgent, path: string, changes: Record<string, string>) {
  const html = await (await agent.get(path)).text();
  const form = /<form method="post" action="[^"]+\/parametere"[\s\S]*?<\/form>/.exec(html)![0];
  const decode = (v: string) => v.replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
  const fields: [string, string][] = [['_csrf', CookieAgent.csrfToken(html)]];
  for (const m of form.matchAll(
    /<input class="ds-input parameter-input"[^>]*name="([^"]+)" value="([^"]*)"/g,
  ))
    fields.push([m[1], m[1] in changes ? changes[m[1]] : decode(m[2])]);
  for (const m of form.matchAll(
    /<input class="ds-input" type="checkbox"[^>]*name="([^"]+)" value="([^"]+)" checked>/g,
  ))
    fields.push([m[1], m[2]]);
  return agent.postFields(`${path}/parametere`, fields);
}
