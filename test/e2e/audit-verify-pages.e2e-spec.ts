import { MikroORM } from '@mikro-orm/core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { auditExportLines } from '../../src/audit/export/audit-export';
import { verifyExport } from '../../src/audit/export/export-verifier';
import { verifyAuditCommand } from '../../src/audit/verify/verify-audit.command';
import { VerificationRun } from '../../src/audit-review/verification/verification-run.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import {
  type AttackerSql,
  rewriteChainAsAttacker,
  tamperAsAttacker,
} from '../support/audit-tamper';
import { CookieAgent } from '../support/cookie-agent';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/revisjon/verifiser';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Verdict {
  html: string;
  location: string;
  verdict: string;
  seq?: number;
  reason?: string;
}

/**
 * The auditors' verification page on municipality A's own chain: a run started by the form, its
 * page followed until the verdict, and the same tampering found by the page, by the command
 * (`npm run audit:verify`) and by the offline verifier of an export, each naming the same entry.
 * Each tampering is undone afterwards (as the attacker made it), so the next case starts sound.
 */
describe('The auditors’ verification page (e2e)', () => {
  let env: PortalWithStaff;
  let orm: MikroORM;
  let auditor: CookieAgent;
  let decisionSeq: number;
  let decision: DeferralRequest;

  beforeAll(async () => {
    env = await startPortalWithStaff({ WRITEBACK_WORKER: 'off' });
    orm = env.t.app.get(MikroORM);
    const ledger = await seedLedgerFor(env.t.em(), env.a, todayInNorway(), [{ pid: KARI }]);
    await env.t.app.get(PolicyVersionsService).seedById(env.a.id);
    env.t.refreshTenants();
    // Kari asks for more time: her decision's entry, for the link from a failure to its page.
    const invoice = ledger[0].invoices.find(
      (i) => i.status === 'UNPAID' && i.dueDate > todayInNorway(),
    )!;
    const kari = await loginAs(env.t.url, KARI);
    const html = await (await kari.get(`/fakturaer/${invoice.id}`)).text();
    // The dates offered (radio buttons or a list's options).
    const dueDate = [
      ...html.matchAll(/(?:name="newDueDate"[^>]*|<option) value="(\d{4}-\d{2}-\d{2})"/g),
    ][3][1];
    const asked = await kari.postForm(`/fakturaer/${invoice.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    const reference = asked.headers.get('location')!.split('/').pop()!;
    decision = await env.t.em().findOneOrFail(DeferralRequest, { reference });
    auditor = await loginAsStaff(env.t.url, 'auditor');
    const entry = await env.t
      .em()
      .findOneOrFail(AuditEntry, { subjectId: decision.id, type: 'deferral.decided' });
    decisionSeq = Number(entry.seq);
  }, 60_000);
  afterAll(() => env?.close());

  /** Starts a run from the form and follows its page (as its refresh would) to the verdict. */
  async function verify(form: Record<string, string> = {}): Promise<Verdict> {
    const page = await (await auditor.get(BASE)).text();
    const started = await auditor.postForm(BASE, { _csrf: CookieAgent.csrfToken(page), ...form });
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/revisjon\/verifiser\/[0-9a-f-]{36}$/);
    for (let i = 0; i < 600; i++) {
      const html = await (await auditor.get(location)).text();
      const found = /data-verdict="(\w+)"(?: data-seq="(\d+)" data-reason="(\w+)")?/.exec(html);
      if (found)
        return {
          html,
          location,
          verdict: found[1],
          seq: found[2] ? Number(found[2]) : undefined,
          reason: found[3],
        };
      expect(html).toContain('data-auto-refresh="2"');
      await sleep(50);
    }
    throw new Error(`no verdict on ${location}`);
  }

  /** What `npm run audit:verify -- <A>` prints for A's chain. */
  async function command(): Promise<string> {
    const lines: string[] = [];
    const keys = env.t.app.get(AuditCheckpoints).trustedKeys();
    await verifyAuditCommand(orm, [env.a.slug], { out: (l) => lines.push(l), err: () => {} }, keys);
    return lines[0];
  }

  /** What the offline verifier says of today's export of A's chain. */
  async function exported(): Promise<string | undefined> {
    const today = todayInNorway();
    const lines: string[] = [];
    for await (const line of auditExportLines(orm.em.fork(), {
      municipality: env.a,
      from: today,
      to: today,
    }))
      lines.push(line);
    async function* each() {
      yield* lines;
    }
    const report = await verifyExport(each(), env.t.app.get(AuditCheckpoints).trustedKeys());
    return report.problem;
  }

  /** Tampers with A's entries at `seqs` as an attacker, runs `check`, then puts them back. */
  async function tamperedWith(
    seqs: readonly number[],
    tamper: (sql: AttackerSql) => Promise<void>,
    check: () => Promise<void>,
  ): Promise<void> {
    const where = `municipality_id = ? and seq in (${seqs.map(() => '?').join(', ')})`;
    await tamperAsAttacker(orm, async (sql) => {
      await sql(`create table vp_saved as select * from audit_entries where ${where}`, [
        env.a.id,
        ...seqs,
      ]);
      await tamper(sql);
    });
    try {
      await check();
    } finally {
      await tamperAsAttacker(orm, async (sql) => {
        await sql(
          'delete from audit_entries where (municipality_id, seq) in (select municipality_id, seq from vp_saved)',
        );
        await sql('insert into audit_entries select * from vp_saved');
        await sql('drop table vp_saved');
      });
    }
  }

  it('verifies the whole chain as sound, counts its entries, and records the run in the chain', async () => {
    const before = await env.t.em().count(AuditEntry, { municipalityId: env.a.id });
    const run = await verify();
    expect(run.verdict).toBe('sound');
    expect(run.html).toContain(`${before} oppføringer er kontrollert, nr. 1 til ${before}.`);
    expect(run.html).toContain('Den starter ved den første oppføringen i loggen.');
    expect(run.html).toContain('Ingen signerte kontrollpunkt ligger i området');

    const recorded = await env.t.em().findOneOrFail(AuditEntry, {
      type: 'audit.verified',
      subjectId: run.location.split('/').pop(),
    });
    expect(recorded.payload).toMatchObject({
      actor: 'staff:demo-auditor-runa',
      verdict: 'sound',
      entries: before,
      firstSeq: 1,
      lastSeq: before,
      from: null,
      to: null,
    });
    // The form page lists the run with its result.
    const list = await (await auditor.get(BASE)).text();
    expect(list).toContain(`href="${run.location}"`);
    expect(list).toMatch(/data-status="sound"/);

    // Held to a signed checkpoint made now: named on the page with its entry.
    const made = await env.t.app.get(AuditCheckpoints).checkpointNow(env.a.id);
    if (made.kind !== 'created') throw new Error('no checkpoint');
    const held = await verify();
    expect(held.verdict).toBe('sound');
    expect(held.html).toContain(
      `Kjeden stemmer med 1 signerte kontrollpunkt; det siste ved oppføring nr. ${made.checkpoint.seq}`,
    );
  });

  it('names an altered payload at its entry, with a link to its decision, as the command and the export do', async () => {
    await tamperedWith(
      [decisionSeq],
      (sql) =>
        sql('update audit_entries set payload = ? where municipality_id = ? and seq = ?', [
          '{"outcome":"approved","forged":true}',
          env.a.id,
          decisionSeq,
        ]).then(() => undefined),
      async () => {
        const run = await verify();
        expect(run).toMatchObject({ verdict: 'failed', seq: decisionSeq, reason: 'payload' });
        expect(run.html).toContain(`Feil ved oppføring nr. ${decisionSeq}`);
        expect(run.html).toContain('Innholdet er endret');
        expect(run.html).toContain(
          `href="/revisjon/beslutninger/${decision.id}" data-testid="decision-link">${decision.reference}<`,
        );
        expect(await command()).toContain(`FAILED, hash-mismatch at seq ${decisionSeq} `);
        expect(await exported()).toContain(
          `entry ${decisionSeq}: its payload is not what was chained`,
        );
      },
    );
  });

  it('names a deleted entry as missing, as the command and the export do', async () => {
    const gone = decisionSeq + 1;
    await tamperedWith(
      [gone],
      (sql) =>
        sql('delete from audit_entries where municipality_id = ? and seq = ?', [
          env.a.id,
          gone,
        ]).then(() => undefined),
      async () => {
        const run = await verify();
        expect(run).toMatchObject({ verdict: 'failed', seq: gone, reason: 'gap' });
        expect(run.html).toContain('Oppføringen mangler');
        expect(await command()).toContain(`FAILED, gap-in-sequence at seq ${gone} `);
        expect(await exported()).toContain(`where entry ${gone} was due`);
      },
    );
  });

  it('names two swapped entries as out of order at the first, as the command and the export do', async () => {
    const [first, second] = [decisionSeq, decisionSeq + 1];
    await tamperedWith(
      [first, second],
      async (sql) => {
        const where = 'where municipality_id = ? and seq = ?';
        await sql(`update audit_entries set seq = -1 ${where}`, [env.a.id, first]);
        await sql(`update audit_entries set seq = ? ${where}`, [first, env.a.id, second]);
        await sql(`update audit_entries set seq = ? ${where}`, [second, env.a.id, -1]);
      },
      async () => {
        const run = await verify();
        expect(run).toMatchObject({ verdict: 'failed', seq: first, reason: 'order' });
        expect(run.html).toContain(
          `Ute av rekkefølge: oppføringen peker på oppføring nr. ${second}, ikke på den før den.`,
        );
        expect(await command()).toContain(`FAILED, broken-link at seq ${first} `);
        expect(await exported()).toContain(`entry ${first} does not link to the entry before it`);
      },
    );
  });

  it('starts a period after the last signed checkpoint before it, and ends a past period before today', async () => {
    const checkpoints = env.t.app.get(AuditCheckpoints);
    await checkpoints.checkpointNow(env.a.id);
    const latest = (await checkpoints.latest(env.a.id))!;
    // Entries since the checkpoint: a period starting tomorrow has none, and starts after it.
    const tomorrow = addDays(todayInNorway(), 1);
    const later = await verify({ fra: tomorrow });
    expect(later.verdict).toBe('sound');
    expect(later.html).toContain(
      `Den starter etter det signerte kontrollpunktet ved oppføring nr. ${latest.seq}`,
    );
    expect(later.html).toContain('Perioden har ingen oppføringer');

    // A period that ended yesterday: nothing before it, so only that entry 1 starts the chain.
    const yesterday = addDays(todayInNorway(), -1);
    const past = await verify({ til: yesterday });
    expect(past.verdict).toBe('sound');
    expect(past.html).toContain('Den slutter ved den siste oppføringen i perioden');
    expect(past.html).toContain('Ingen oppføringer lå i området');
  });

  it('refuses a period whose end comes before its start beside the field, and starts nothing', async () => {
    const before = await env.t.em().count(VerificationRun, {});
    const page = await (await auditor.get(BASE)).text();
    const refused = await auditor.postForm(BASE, {
      _csrf: CookieAgent.csrfToken(page),
      fra: '2026-12-05',
      til: '2026-12-01',
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('id="v-til-error"');
    expect(html).toContain('Til-datoen kan ikke være før fra-datoen.');
    expect(html).toContain('value="2026-12-05"');
    expect(await env.t.em().count(VerificationRun, {})).toBe(before);
  });

  it('shows a running run with its progress and a reload, and one whose heartbeat stopped as interrupted', async () => {
    const em = env.t.em();
    const scope = { firstSeq: 1, lastSeq: 10, anchor: null, period: null, toHead: true };
    const running = em.create(VerificationRun, {
      municipalityId: env.a.id,
      actor: 'staff:demo-auditor-runa',
      actorName: 'Runa Revisor',
      checked: 5,
      total: 10,
      scope,
    });
    const stale = em.create(VerificationRun, {
      municipalityId: env.a.id,
      actor: 'staff:demo-auditor-runa',
      checked: 3,
      total: 10,
      scope,
      heartbeatAt: new Date(Date.now() - 61_000),
    });
    await em.flush();

    const html = await (await auditor.get(`${BASE}/${running.id}`)).text();
    // Reloading is the static script's (a reader can stop it), never a <meta> refresh (axe: 2.2.1).
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('data-auto-refresh="2"');
    expect(html).toContain('<script src="/static/auto-refresh.js" defer></script>');
    expect(html).toContain('<label for="verify-progress">Kontrollert 5 av 10 oppføringer</label>');
    expect(html).toMatch(
      /<progress id="verify-progress"[^>]* max="100" value="50">50 %<\/progress>/,
    );
    const still = await (await auditor.get(`${BASE}/${running.id}?oppdater=nei`)).text();
    expect(still).not.toContain('data-auto-refresh');
    expect(still).toContain('Oppdater nå');

    const gone = await (await auditor.get(`${BASE}/${stale.id}`)).text();
    expect(gone).not.toContain('data-auto-refresh');
    expect(gone).toContain('data-verdict="interrupted"');
    expect(gone).toContain('har ikke gitt lyd fra seg på over et minutt');
    expect(gone).toContain('3 av 10 oppføringer var kontrollert.');
    expect(gone).toContain('Start kontrollen på nytt');
    expect(await (await auditor.get(BASE)).text()).toMatch(/data-status="interrupted"/);
  });

  it('answers 404 for a run that does not exist', async () => {
    const res = await auditor.get(`${BASE}/7d0b8c1e-2f43-4c5a-9e6b-0a1b2c3d4e5f`);
    expect(res.status).toBe(404);
  });

  // Last: the chain stays rewritten.
  it('fails a chain recomputed by an attacker against the signed checkpoint, as the command and the export do', async () => {
    const checkpoints = env.t.app.get(AuditCheckpoints);
    await checkpoints.checkpointNow(env.a.id);
    // The first checkpoint made after the entry the attacker changes is the first to disagree.
    const first = (await checkpoints.list(env.a.id, 100))
      .map((c) => c.seq)
      .sort((x, y) => x - y)
      .find((seq) => seq >= decisionSeq)!;
    await rewriteChainAsAttacker(orm, env.a.id, decisionSeq, { outcome: 'approved' });
    const run = await verify();
    expect(run.verdict).toBe('failed');
    expect(run.reason).toBe('checkpoint');
    expect(run.seq).toBe(first);
    expect(run.html).toContain('Kjeden stemmer ikke med et signert kontrollpunkt');
    expect(run.html).toContain(`Kontrollpunktet ved oppføring nr. ${first} ble signert`);
    expect(await command()).toContain(`FAILED, checkpoint-mismatch at seq ${first} `);
    expect(await exported()).toContain(`entry ${first} differs from the signed checkpoint`);
  });
});
