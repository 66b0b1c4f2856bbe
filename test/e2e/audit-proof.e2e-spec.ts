import { mkdtempSync, writeFileSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { verifyProofCommand } from '../../src/audit/proof/verify-proof.command';
import { CaseWorkService } from '../../src/deferrals/case-work/case-work.service';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { rewriteChainAsAttacker } from '../support/audit-tamper';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

/** A page with Handlebars' entities for '=', quotes and apostrophes undone, as a person reads it. */
const unescape = (html: string) =>
  html
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");

/** A resident's proof that their decision is in the audit chain, end to end (issue 15). */
describe('A resident’s audit proof (e2e)', () => {
  let env: PortalWithStaff;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  const dir = mkdtempSync(join(tmpdir(), 'audit-proof-'));

  beforeAll(async () => {
    // No write-back worker: the chain grows only by what the tests do.
    env = await startPortalWithStaff({ WRITEBACK_WORKER: 'off', AUDIT_CHECKPOINT_MINUTES: '45' });
    ledger = await seedLedgerFor(env.t.em(), env.a);
    env.t.refreshTenants();
  });
  afterAll(() => env?.close());

  /** The resident asks for a deferral of an unpaid invoice; resolves to the stored request. */
  async function defer(pid: string, category?: string) {
    const agent = await loginAs(env.t.url, pid);
    const invoiceId = ledger
      .find((entry) => entry.pid === pid)!
      .invoices.find((i) => i.status === 'UNPAID' && (!category || i.category === category))!.id;
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    // The due dates the form offers (a list or radio buttons, whichever the page has).
    const options = [...html.matchAll(/value="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
      CookieAgent.csrfToken(html);
    const res = await agent.postForm(`/fakturaer/${invoiceId}/utsettelse`, {
      _csrf: csrf,
      newDueDate: options[2],
    });
    expect(res.status).toBe(303);
    const request = await env.t.em().findOneOrFail(DeferralRequest, { invoiceId });
    const entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'deferral.decided' });
    return { agent, request, entry };
  }

  const checkpointNow = () => env.t.app.get(AuditCheckpoints).checkpointNow(env.a.id);

  async function publicKeyFile(): Promise<string> {
    const file = join(dir, 'offentlig-nokkel.pem');
    writeFileSync(file, env.t.app.get(AuditCheckpoints).publicKey().pem);
    return file;
  }

  async function cli(proofText: string, name: string) {
    const file = join(dir, name);
    writeFileSync(file, proofText);
    const out: string[] = [];
    const err: string[] = [];
    const code = await verifyProofCommand([file, '--public-key', await publicKeyFile()], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out, err };
  }

  let kari: Awaited<ReturnType<typeof defer>>;

  it('names the decision’s entry on the case page and says the proof waits for the next checkpoint', async () => {
    kari = await defer(KARI);
    const { agent, request, entry } = kari;
    const page = unescape(await (await agent.get(`/saker/${request.reference}`)).text());
    expect(page).toContain(
      `Revisjonsspor: oppføring nr. ${entry.seq}, kontrollsum <code class="copy">${entry.hash}</code>`,
    );
    expect(page).toContain(
      'Beviset kan lastes ned etter neste signerte kontrollpunkt, innen 45 minutter.',
    );
    expect(page).not.toContain(`/saker/${request.reference}/bevis`);

    const early = await agent.get(`/saker/${request.reference}/bevis`);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await early.text()).toContain('Beviset er ikke klart ennå');
  });

  it('lets the resident download the proof once a checkpoint is signed, which the CLI verifies with the public key', async () => {
    const { agent, request, entry } = kari;
    expect(await checkpointNow()).toMatchObject({ kind: 'created' });
    const page = await (await agent.get(`/saker/${request.reference}`)).text();
    expect(page).toContain(`href="/saker/${request.reference}/bevis"`);
    expect(page).not.toContain('data-testid="proof-not-ready"');

    const res = await agent.get(`/saker/${request.reference}/bevis`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="revisjonsbevis-${request.reference}.json"`,
    );
    const text = await res.text();
    const proof = JSON.parse(text) as {
      entry: { payload: Record<string, unknown> };
      links: Record<string, unknown>[];
    };
    expect(proof).toMatchObject({
      kind: 'minside-faktura/audit-inclusion-proof',
      v: 1,
      municipalityId: env.a.id,
      entry: {
        seq: Number(entry.seq),
        hash: entry.hash,
        type: 'deferral.decided',
        subjectId: request.id,
        payload: expect.objectContaining({ reference: request.reference, outcome: 'approved' }),
      },
      publicKey: { fingerprint: env.t.app.get(AuditCheckpoints).publicKey().fingerprint },
    });
    // Nothing of anyone else's entries but their fields.
    for (const link of proof.links)
      expect(Object.keys(link).sort()).toEqual(
        ['createdAtIso', 'hash', 'payloadHash', 'seq', 'subjectId', 'type'].sort(),
      );

    const verified = await cli(text, 'revisjonsbevis.json');
    expect(verified).toMatchObject({ code: 0, err: [] });
    expect(verified.out[0]).toMatch(
      new RegExp(`^VERIFIED: .*: entry ${entry.seq} \\(deferral\\.decided, hash ${entry.hash}\\)`),
    );

    proof.entry.payload.newDueDate = '2099-12-31';
    const tampered = await cli(JSON.stringify(proof), 'endret.json');
    expect(tampered).toMatchObject({ code: 1, out: [] });
    expect(tampered.err[0]).toMatch(
      new RegExp(`^NOT VERIFIED: .*: entry ${entry.seq}: its payload is not what was chained`),
    );
  });

  it('answers another resident 404 for the proof, as for the case page', async () => {
    const ingrid = await loginAs(env.t.url, INGRID);
    const res = await ingrid.get(`/saker/${kari.request.reference}/bevis`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(kari.entry.hash);
  });

  it('lets an auditor download the same file from the decision page, check it against the keys and the chain, and names what is wrong with a tampered copy', async () => {
    const { request, entry } = kari;
    const residentCopy = await (await kari.agent.get(`/saker/${request.reference}/bevis`)).text();
    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const decision = await (await auditor.get(`/revisjon/beslutninger/${request.id}`)).text();
    expect(decision).toContain(`href="/revisjon/beslutninger/${request.id}/bevis"`);
    const download = await auditor.get(`/revisjon/beslutninger/${request.id}/bevis`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="revisjonsbevis-${request.reference}.json"`,
    );
    expect(await download.text()).toBe(residentCopy);

    const form = await (await auditor.get('/revisjon/bevis')).text();
    expect(form).toContain('href="/revisjon/bevis" aria-current="page"');
    const csrf = CookieAgent.csrfToken(form);
    const check = async (bevis: string) => {
      const res = await auditor.postForm('/revisjon/bevis', { _csrf: csrf, bevis });
      return { status: res.status, html: unescape(await res.text()) };
    };

    const sound = await check(residentCopy);
    expect(sound.status).toBe(200);
    expect(sound.html).toContain('Beviset holder');
    expect(sound.html).toContain(
      `Oppføring nr. ${entry.seq} (deferral.decided) er i revisjonssporet`,
    );
    expect(sound.html).toContain(
      `Revisjonssporet i databasen har samme kontrollsum ved oppføring nr. ${entry.seq}.`,
    );

    const proof = JSON.parse(residentCopy) as { entry: { payload: { outcome: string } } };
    proof.entry.payload.outcome = 'rejected';
    const tampered = await check(JSON.stringify(proof, null, 2));
    expect(tampered.status).toBe(200);
    expect(tampered.html).toContain('Beviset holder ikke');
    expect(tampered.html).toContain(
      `Oppføring nr. ${entry.seq}: innholdet er ikke det som ble lagret i sporet (endret).`,
    );
    expect(tampered.html).not.toContain('Revisjonssporet i databasen har samme kontrollsum');

    // Bad input is refused beside the field, and the text stays to be mended.
    const notJson = await check('{"kind": "minside-faktura/audit-inclusion-proof", ');
    expect(notJson.status).toBe(400);
    expect(notJson.html).toContain('id="bevis-error">Teksten er ikke JSON.');
    expect(notJson.html).toContain('aria-invalid="true"');
    expect(notJson.html).toContain(
      '>{"kind": "minside-faktura/audit-inclusion-proof", </textarea>',
    );
    const wrongKind = await check('{"kind":"minside-faktura/audit-export","v":1}');
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.html).toContain('Dette er ikke et revisjonsbevis');
    const empty = await check('   ');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Lim inn innholdet i bevisfilen.');
    const huge = await check(`{"kind":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(400);
    expect(huge.html).toContain('Teksten er større enn 2 MB.');

    // Taking the proof out is recorded as an opening of the decision.
    const openings = await env.t
      .em()
      .find(AuditEntry, { subjectId: request.id, type: 'audit.decision_opened' });
    expect(openings).toHaveLength(2);
  }, 120_000);

  it('names the officer’s decision once an officer has decided, and proves that entry', async () => {
    // Ingrid's property tax goes to a person; an officer rejects it.
    const { agent, request, entry } = await defer(INGRID, 'EIENDOMSSKATT');
    expect(request.outcome).toBe('manual_review');
    const before = unescape(await (await agent.get(`/saker/${request.reference}`)).text());
    expect(before).toContain(
      `oppføring nr. ${entry.seq}, kontrollsum <code class="copy">${entry.hash}`,
    );
    const officer = { actor: 'staff:test-officer', name: 'Test Saksbehandler' };
    const work = env.t.app.get(CaseWorkService);
    expect(await work.take([env.a.id], request.id, officer)).toMatchObject({ ok: true });
    expect(
      await work.reject([env.a.id], request.id, officer, {
        reason: 'Vi trenger dokumentasjon.',
        reasonCode: null,
        origin: env.t.url,
      }),
    ).toMatchObject({ ok: true });
    const decided = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: request.id, type: 'case.decided' });

    const after = unescape(await (await agent.get(`/saker/${request.reference}`)).text());
    expect(after).toContain(
      `Revisjonsspor: oppføring nr. ${decided.seq}, kontrollsum <code class="copy">${decided.hash}</code>`,
    );
    expect(after).toContain('Oppføringen gjelder saksbehandlerens avgjørelse.');
    expect(after).toContain('data-testid="proof-not-ready"');
    await checkpointNow();
    const proof = await (await agent.get(`/saker/${request.reference}/bevis`)).text();
    expect(JSON.parse(proof)).toMatchObject({
      entry: { seq: Number(decided.seq), type: 'case.decided', hash: decided.hash },
    });
    expect(await cli(proof, 'saksbehandler.json')).toMatchObject({ code: 0 });
  });

  it('says the database differs when the chain was rewritten after the checkpoint the proof holds', async () => {
    const { request, entry } = kari;
    const proof = await (await kari.agent.get(`/saker/${request.reference}/bevis`)).text();
    await rewriteChainAsAttacker(env.t.app.get(MikroORM), env.a.id, Number(entry.seq), {
      ...entry.payload,
      outcome: 'rejected',
    });
    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const csrf = CookieAgent.csrfToken(await (await auditor.get('/revisjon/bevis')).text());
    const res = await auditor.postForm('/revisjon/bevis', { _csrf: csrf, bevis: proof });
    const html = unescape(await res.text());
    expect(html).toContain('Beviset holder, men revisjonssporet i databasen avviker');
    expect(html).toContain(
      `Revisjonssporet i databasen har en annen kontrollsum ved oppføring nr. ${entry.seq}`,
    );
  });
});
