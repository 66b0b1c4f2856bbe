import { randomUUID } from 'node:crypto';
import { statisticsCase, type CaseSpec } from '../../src/deferrals/statistics/case.test-factory';
import { lastOsloWeeks, type OsloWeek } from '../../src/shared/oslo-weeks';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { WritebackJob, type WritebackStatus } from '../../src/writeback/writeback-job.entity';
import { CookieAgent } from '../support/cookie-agent';
import { INGRID, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const PAGE = '/saksbehandler/oversikt';
const CSV = '/saksbehandler/oversikt.csv';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NBSP = '\u00a0';

/** The text of the element carrying `data-testid`: tags removed, spaces squeezed, entities read. */
function testId(html: string, id: string): string {
  const match = new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(dd|p|ul)>`).exec(html);
  if (!match) throw new Error(`no ${id} on the page`);
  return decode(match[1].replace(/<[^>]+>/g, ' ').replace(/[ \t\r\n]+/g, ' ')).trim();
}

/** Text as Handlebars escaped it (`=` as `&#x3D;`), read back. */
function decode(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

/** A chart's table: each body row's header and cells, then the foot. */
function tableOf(html: string, chartId: string): string[][] {
  const table = new RegExp(`data-testid="${chartId}-table">([\\s\\S]*?)</table>`).exec(html);
  if (!table) throw new Error(`no table for ${chartId}`);
  const rows = [...table[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1);
  return rows.map((row) => [...row[1].matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]));
}

const weekLabel = (w: OsloWeek) => `Uke ${w.week} ${w.year}`;

/** The body as sent: `Response.text()` would drop the byte order mark. */
async function csvText(res: Response): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
}

/** The CSV's rows, cells split (none of ours is quoted), the byte order mark gone. */
function csvRows(body: string): string[][] {
  expect(body.startsWith('\ufeff')).toBe(true);
  expect(body.endsWith('\r\n')).toBe(true);
  return body
    .slice(1, -2)
    .split('\r\n')
    .map((line) => line.split(';'));
}

describe('The dashboard for finance officers and policy approvers (e2e)', () => {
  let env: PortalWithStaff;
  let officer: CookieAgent;
  let weeks: OsloWeek[];

  beforeAll(async () => {
    env = await startPortalWithStaff();
    officer = await loginAsStaff(env.t.url, 'officer');
    weeks = lastOsloWeeks(12);
  });
  afterAll(() => env?.close());

  it('shows zeros and says so for a municipality without requests, not an error', async () => {
    const res = await officer.get(PAGE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Ingen søknader i perioden. Derfor er tallene null.');
    expect(testId(html, 'figure-requests')).toBe('0');
    expect(testId(html, 'figure-automatic')).toBe('Ingen søknader');
    expect(testId(html, 'figure-open')).toBe('0');
    expect(testId(html, 'figure-hours')).toBe('0 timer');
    expect(html).toContain('>Ingen søknader i perioden</text>');
    expect(tableOf(html, 'chart-weekly').at(-1)).toEqual(['Sum', '0', '0', '0', '0', '0', '0']);
  });

  describe('with known requests in A and B', () => {
    let thisWeek: OsloWeek;
    let lastWeek: OsloWeek;
    let fourAgo: OsloWeek;

    beforeAll(async () => {
      thisWeek = weeks[11];
      lastWeek = weeks[10];
      fourAgo = weeks[7];
      const now = Date.now();
      const at = (week: OsloWeek, hours: number) => new Date(week.start.getTime() + hours * HOUR);
      const a = env.a.id;
      const b = env.b.id;
      const longAgo = new Date(now - 100 * DAY);
      const auto = (municipalityId: string, createdAt: Date, outcome: 'approved' | 'rejected') =>
        ({ municipalityId, createdAt, decided: 'automatically', outcome }) as const;
      const byOfficer = (createdAt: Date, hours: number, outcome: 'approved' | 'rejected') =>
        ({
          municipalityId: a,
          createdAt,
          decided: 'by-officer',
          outcome,
          sentToOfficerAt: createdAt,
          decidedAt: new Date(createdAt.getTime() + hours * HOUR),
        }) as const;
      /** Rejected by the policy long ago, sent to a person `days` ago by the resident. */
      const waiting = (days: number): CaseSpec => ({
        municipalityId: a,
        createdAt: longAgo,
        decided: 'not-yet',
        policyOutcome: 'rejected',
        sentToOfficerAt: new Date(now - days * DAY),
      });
      const specs: CaseSpec[] = [
        // This week in A: three approved and one rejected by the policy, one waiting for a person.
        auto(a, at(thisWeek, 0), 'approved'),
        auto(a, at(thisWeek, 0.5), 'approved'),
        auto(a, at(thisWeek, 1), 'approved'),
        auto(a, at(thisWeek, 1.5), 'rejected'),
        {
          municipalityId: a,
          createdAt: thisWeek.start,
          decided: 'not-yet',
          sentToOfficerAt: new Date(now - HOUR),
        },
        // Last week: two by the policy; officers decided three after 2, 4 and 10 hours.
        auto(a, at(lastWeek, 9), 'approved'),
        auto(a, at(lastWeek, 10), 'approved'),
        byOfficer(at(lastWeek, 11), 2, 'approved'),
        byOfficer(at(lastWeek, 12), 4, 'approved'),
        byOfficer(at(lastWeek, 13), 10, 'rejected'),
        // Four weeks back: one; before the 12 weeks: five (counted in neither).
        auto(a, at(fourAgo, 30), 'approved'),
        ...Array.from({ length: 5 }, () =>
          auto(a, new Date(weeks[0].start.getTime() - DAY), 'approved'),
        ),
        // Open now, waiting 1, 5, 10, 20 and 40 days.
        ...[1, 5, 10, 20, 40].map(waiting),
        // B, this week: four approved by the policy.
        ...[1, 2, 3, 4].map((h) => auto(b, at(thisWeek, h), 'approved')),
      ];
      const em = env.t.em();
      for (const spec of specs) statisticsCase(em, spec);
      const job = (municipalityId: string, status: WritebackStatus, failedAt: Date) => {
        const id = randomUUID();
        em.create(WritebackJob, {
          municipalityId,
          deferralRequestId: id,
          invoiceId: `inv-${id}`,
          pid: '01010112345',
          newDueDate: '2027-01-20',
          reason: 'Betalingsutsettelse TEST',
          idempotencyKey: `deferral-${id}`,
          status,
          failedAt,
        });
      };
      job(a, 'failed', at(lastWeek, 5));
      job(a, 'resolved_by_hand', at(fourAgo, 5));
      job(a, 'failed', new Date(weeks[0].start.getTime() - 3 * DAY));
      job(b, 'failed', at(thisWeek, 2));
      await em.flush();
      // A's officers take 15 minutes per case decided by hand; B keeps the default of 10.
      await env.t
        .em()
        .nativeUpdate(
          Municipality,
          { id: a },
          { settings: { financeAdapter: 'embedded', cases: { minutesPerManualCase: 15 } } },
        );
      env.t.refreshTenants();
    });

    it('gives an officer of A the key figures of A for the last 12 weeks, with the formula', async () => {
      const html = await (await officer.get(PAGE)).text();
      expect(testId(html, 'overview-period')).toBe(
        `Nordby kommune, uke ${weeks[0].week} ${weeks[0].year} – uke ${thisWeek.week} ${thisWeek.year} (12 uker)`,
      );
      expect(testId(html, 'figure-requests')).toBe('11');
      expect(testId(html, 'figure-automatic')).toBe(`64${NBSP}% (7 av 11)`);
      expect(testId(html, 'figure-time')).toBe(
        'Median 4 timer 9 av 10 innen 8,8 timer; 3 saker avgjort av saksbehandler',
      );
      expect(testId(html, 'figure-open')).toBe('6');
      expect(testId(html, 'figure-failed')).toBe('2');
      // 7 automatic decisions × 15 minutes ÷ 60.
      expect(testId(html, 'figure-hours')).toBe('1,8 timer');
      expect(testId(html, 'hours-formula')).toBe('Nordby kommune: 7 × 15 min ÷ 60 = 1,8 timer');
      expect(html).not.toContain('Sørby');
      expect(html).not.toContain('Ingen søknader i perioden. Derfor');
      const link = /href="([^"]*)" download data-testid="csv-link"/.exec(html)![1];
      expect(decode(link)).toBe(`${CSV}?kommune=nordby&uker=12`);
    });

    it('draws each chart as an image with a title and summary, its numbers in a table after it', async () => {
      const html = await (await officer.get(PAGE)).text();
      for (const id of ['chart-weekly', 'chart-ages', 'chart-failures']) {
        const figure = new RegExp(
          `<figure class="chart-figure" data-testid="${id}">\\s*<div class="chart-scroll" tabindex="0" role="group" aria-labelledby="${id}-heading"><svg [^>]*role="img" aria-labelledby="${id}-title ${id}-desc"[\\s\\S]*?</svg></div>\\s*<figcaption`,
        );
        expect(html).toMatch(figure);
      }
      expect(html).toContain(
        '<desc id="chart-weekly-desc">11 søknader i perioden, 7 av dem avgjort automatisk.',
      );
      expect(html).toContain(
        '<desc id="chart-ages-desc">6 åpne saker: 0–2 dager: 2, 3–7 dager: 1, 8–14 dager: 1, 15–30 dager: 1, Over 30 dager: 1.</desc>',
      );

      const weekly = tableOf(html, 'chart-weekly');
      expect(weekly).toHaveLength(13);
      const row = (w: OsloWeek) => weekly.find((r) => r[0] === weekLabel(w))!.slice(1);
      expect(row(thisWeek)).toEqual(['3', '1', '0', '0', '1', '5']);
      expect(row(lastWeek)).toEqual(['2', '0', '2', '1', '0', '5']);
      expect(row(fourAgo)).toEqual(['1', '0', '0', '0', '0', '1']);
      expect(row(weeks[0])).toEqual(['0', '0', '0', '0', '0', '0']);
      expect(weekly.at(-1)).toEqual(['Sum', '6', '1', '2', '1', '1', '11']);

      expect(tableOf(html, 'chart-ages')).toEqual([
        ['0–2 dager', '2'],
        ['3–7 dager', '1'],
        ['8–14 dager', '1'],
        ['15–30 dager', '1'],
        ['Over 30 dager', '1'],
        ['Sum', '6'],
      ]);
      const failures = tableOf(html, 'chart-failures');
      expect(failures.find((r) => r[0] === weekLabel(lastWeek))).toEqual([
        weekLabel(lastWeek),
        '1',
      ]);
      expect(failures.find((r) => r[0] === weekLabel(fourAgo))).toEqual([weekLabel(fourAgo), '1']);
      expect(failures.at(-1)).toEqual(['Sum', '2']);
    });

    it('gives the same numbers as CSV: one row per municipality and week, formulas defused', async () => {
      const res = await officer.get(`${CSV}?kommune=nordby&uker=12`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="oversikt-nordby-${weeks[0].label}-${thisWeek.label}.csv"`,
      );
      const rows = csvRows(await csvText(res));
      expect(rows[0]).toEqual([
        'Kommune',
        'Uke',
        'Uken begynner',
        'Innvilget automatisk',
        'Avslått automatisk',
        'Innvilget av saksbehandler',
        'Avslått av saksbehandler',
        'Ikke avgjort ennå',
        'Sum',
        'Tilbakeskrivinger feilet',
      ]);
      expect(rows).toHaveLength(13);
      const row = (w: OsloWeek) => rows.find((r) => r[1] === w.label);
      expect(row(thisWeek)).toEqual([
        'Nordby kommune',
        thisWeek.label,
        thisWeek.monday,
        '3',
        '1',
        '0',
        '0',
        '1',
        '5',
        '0',
      ]);
      expect(row(lastWeek)).toEqual([
        'Nordby kommune',
        lastWeek.label,
        lastWeek.monday,
        '2',
        '0',
        '2',
        '1',
        '0',
        '5',
        '1',
      ]);
      expect(row(fourAgo)).toEqual([
        'Nordby kommune',
        fourAgo.label,
        fourAgo.monday,
        '1',
        '0',
        '0',
        '0',
        '0',
        '1',
        '1',
      ]);
    });

    it('lets the officer serving A and B choose A, B or both, and sums hours saved per municipality', async () => {
      const dual = await loginAsStaff(env.t.url, 'dual');
      const own = await (await dual.get(PAGE)).text();
      expect(own).toMatch(/<option value="nordby" selected>Nordby kommune<\/option>/);
      expect(own).toContain('<option value="sorby">Sørby kommune</option>');
      expect(own).toContain('<option value="alle">Alle kommunene du arbeider for</option>');
      expect(testId(own, 'figure-requests')).toBe('11');

      const b = await (await dual.get(`${PAGE}?kommune=sorby&uker=4`)).text();
      expect(testId(b, 'figure-requests')).toBe('4');
      expect(testId(b, 'figure-automatic')).toBe(`100${NBSP}% (4 av 4)`);
      expect(testId(b, 'figure-failed')).toBe('1');
      expect(testId(b, 'hours-formula')).toBe('Sørby kommune: 4 × 10 min ÷ 60 = 0,7 timer');
      expect(tableOf(b, 'chart-weekly')).toHaveLength(5);

      const both = await (await dual.get(`${PAGE}?kommune=alle&uker=12`)).text();
      expect(testId(both, 'figure-requests')).toBe('15');
      expect(testId(both, 'figure-failed')).toBe('3');
      // 7 × 15 ÷ 60 = 1.75 and 4 × 10 ÷ 60 = 0.67.
      expect(testId(both, 'figure-hours')).toBe('2,4 timer');
      expect(testId(both, 'hours-formula')).toBe(
        'Nordby kommune: 7 × 15 min ÷ 60 = 1,8 timer Sørby kommune: 4 × 10 min ÷ 60 = 0,7 timer',
      );
      expect(tableOf(both, 'chart-weekly').find((r) => r[0] === weekLabel(thisWeek))).toEqual([
        weekLabel(thisWeek),
        '7',
        '1',
        '0',
        '0',
        '1',
        '9',
      ]);

      const csv = csvRows(await csvText(await dual.get(`${CSV}?kommune=alle&uker=12`)));
      expect(csv).toHaveLength(1 + 2 * 12);
      expect(csv.filter((r) => r[1] === thisWeek.label)).toEqual([
        ['Nordby kommune', thisWeek.label, thisWeek.monday, '3', '1', '0', '0', '1', '5', '0'],
        ['Sørby kommune', thisWeek.label, thisWeek.monday, '4', '0', '0', '0', '0', '4', '1'],
      ]);
    });

    it('refuses a municipality the officer does not serve (403), on the page and as CSV', async () => {
      const page = await officer.get(`${PAGE}?kommune=sorby&uker=12`);
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain(
        'id="overview-kommune-error">Du arbeider ikke for den kommunen. Velg en kommune fra lista.</p>',
      );
      expect(html).not.toContain('figure-requests');
      expect(html).not.toContain('Sørby');
      expect((await officer.get(`${CSV}?kommune=sorby&uker=12`)).status).toBe(403);
      expect((await officer.get(`${CSV}?kommune=alle&uker=12`)).status).toBe(200);
    });

    it('answers a period it does not offer with 400 and the error beside the field', async () => {
      const page = await officer.get(`${PAGE}?uker=7`);
      expect(page.status).toBe(400);
      const html = await page.text();
      expect(html).toContain('aria-invalid="true" aria-describedby="overview-uker-error"');
      expect(html).toContain(
        'id="overview-uker-error">Velg en periode på 4, 12, 26 eller 52 uker.</p>',
      );
      expect((await officer.get(`${CSV}?uker=7`)).status).toBe(400);
    });

    it('serves policy approvers, and refuses auditors, residents and visitors', async () => {
      const approver = await loginAsStaff(env.t.url, 'approver');
      expect((await approver.get(PAGE)).status).toBe(200);
      expect((await approver.get(CSV)).status).toBe(200);

      const auditor = await loginAsStaff(env.t.url, 'auditor');
      expect((await auditor.get(PAGE)).status).toBe(403);
      expect((await auditor.get(CSV)).status).toBe(403);

      await seedLedgerFor(env.t.em(), env.a);
      const resident = await loginAs(env.t.url, INGRID);
      const visitor = new CookieAgent(env.t.url);
      for (const agent of [resident, visitor]) {
        const page = await agent.get(PAGE);
        expect(page.status).toBe(303);
        expect(page.headers.get('location')).toBe(
          `/saksbehandler/logg-inn?return=${encodeURIComponent(PAGE)}`,
        );
        const csv = await agent.get(CSV, { accept: 'text/csv' });
        expect(csv.status).toBe(401);
        expect(await csv.text()).not.toContain('Nordby kommune;');
      }
    });

    it('links the overview from the staff home page of officers and approvers only', async () => {
      expect(await (await officer.get('/saksbehandler')).text()).toContain(`href="${PAGE}"`);
      const auditor = await loginAsStaff(env.t.url, 'auditor');
      expect(await (await auditor.get('/saksbehandler')).text()).not.toContain(`href="${PAGE}"`);
    });

    it('defuses a municipality name a spreadsheet would run as a formula', async () => {
      await env.t.em().nativeUpdate(Municipality, { id: env.b.id }, { name: '=HYPERLINK("x")' });
      env.t.refreshTenants();
      const dual = await loginAsStaff(env.t.url, 'dual');
      const body = await csvText(await dual.get(`${CSV}?kommune=sorby&uker=4`));
      const [, first] = csvRows(body).map((row) => row.join(';'));
      expect(first.startsWith(`"'=HYPERLINK(""x"")";`)).toBe(true);
    });
  });
});
