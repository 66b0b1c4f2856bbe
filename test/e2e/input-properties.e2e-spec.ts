import fc from 'fast-check';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { Session } from '../../src/auth/session/session.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { syntheticPids } from '../../dev/synthetic-pids';
import { appRoutes, CSRF_PROBE_PATH, installCsrfProbe } from '../support/app-routes';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { type Answer, HostAgent } from '../support/host-agent';
import {
  brokenEscape,
  CONTROL_IN_URL,
  deepNesting,
  encodePathSegment,
  expectRefusal,
  hostileText,
  nestedJson,
  withControlInText,
  withControlInUrl,
  wrongType,
} from '../support/hostile-input';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { INGRID, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';

/** Enough runs to meet each kind of input a few times; no fixed seed (fast-check prints it on failure). */
const RUNS = { numRuns: 30 };
const ISO_OR_DOTTED = /^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*$/;
const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A signed-in resident with their CSRF token, their open invoice and a due date its form offers. */
interface Signed {
  agent: HostAgent;
  csrf: string;
  invoiceId: string;
  dueDate: string;
}

describe('Hostile input to every form, body, path and query (e2e)', () => {
  let env: PortalWithIdporten;
  let host: string;
  let reference: string;
  let ingrid: Signed;
  let spare: { pid: string; invoiceId: string }[];

  beforeAll(async () => {
    // No write-back worker: an approval's job would add audit entries while a later test counts them.
    env = await startPortalWithIdporten({
      RATE_LIMIT_PER_MINUTE: '1000000',
      WRITEBACK_WORKER: 'off',
    });
    installCsrfProbe(env.t.app);
    host = `127.0.0.1:${new URL(env.t.url).port}`;
    const municipality = await createMunicipality(env.t.em(), {
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    const demo = await seedLedgerFor(env.t.em(), municipality);
    // One resident per property that posts deferrals: a request stored by mistake answers every
    // later form for that invoice with its receipt, and must not hide another property's failure.
    const residents = syntheticPids(12, seededRandom(2027)).map((pid, i) => ({
      pid,
      name: `Innbygger ${i}`,
      municipality: 'fjordvik' as const,
    }));
    const others = await seedLedgerFor(
      env.t.em(),
      municipality,
      todayInNorway(),
      residents,
      'hostile',
    );
    env.t.refreshTenants();
    spare = others.map((e) => ({
      pid: e.pid,
      invoiceId: e.invoices.find((i) => i.status === 'UNPAID')!.id,
    }));

    // Ingrid asks for more time on her property tax: manual review, a case she may send to an officer.
    const propertyTax = demo
      .find((e) => e.pid === INGRID)!
      .invoices.find((i) => i.category === 'EIENDOMSSKATT')!;
    const browser = await loginAs(env.t.url, INGRID);
    const html = await (await browser.get(`/fakturaer/${propertyTax.id}`)).text();
    const dueDate = /name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/.exec(html)![1];
    const asked = await browser.postForm(`/fakturaer/${propertyTax.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    reference = asked.headers.get('location')!.split('/').pop()!;
    ingrid = await signed(browser, propertyTax.id);
  });
  afterAll(() => env.close());

  async function signed(browser: CookieAgent, invoiceId: string): Promise<Signed> {
    const agent = HostAgent.from(browser, host);
    const probe = await agent.get(CSRF_PROBE_PATH, 'application/json');
    const page = await agent.get(`/fakturaer/${invoiceId}`);
    const offered = [
      ...page.body.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g),
    ].map((m) => m[1]);
    return {
      agent,
      csrf: (JSON.parse(probe.body) as { token: string }).token,
      invoiceId,
      dueDate: offered[2] ?? '',
    };
  }
  async function nextResident(): Promise<Signed> {
    const { pid, invoiceId } = spare.shift()!;
    return signed(await loginAs(env.t.url, pid), invoiceId);
  }

  /** What a refused request must leave as it was. */
  async function stored() {
    const em = env.t.em();
    const ingridsCase = await em.findOneOrFail(DeferralRequest, { reference });
    return {
      requests: await em.count(DeferralRequest, {}),
      jobs: await em.count(WritebackJob, {}),
      audit: await em.count(AuditEntry, {}),
      sessions: await em.count(Session, {}),
      ingridsCase: { status: ingridsCase.status, officerMessage: ingridsCase.officerMessage },
    };
  }
  async function refusedAndNothingStored(
    send: () => Promise<Answer>,
    expected: number | readonly number[],
  ): Promise<void> {
    const before = await stored();
    expectRefusal(await send(), expected);
    expect(await stored()).toEqual(before);
  }

  const postForm = (who: Signed, path: string, form: Record<string, string>) =>
    who.agent.postForm(path, { _csrf: who.csrf, ...form });
  const postJsonText = (who: Signed, path: string, text: string) =>
    who.agent.send('POST', path, {
      body: text,
      headers: { ...JSON_HEADERS, 'x-csrf-token': who.csrf },
    });
  const postJson = (who: Signed, path: string, body: unknown) =>
    postJsonText(who, path, JSON.stringify(body));

  describe('the deferral form (POST /fakturaer/:invoiceId/utsettelse)', () => {
    const deferral = (who: Signed) => `/fakturaer/${who.invoiceId}/utsettelse`;
    const notADate = hostileText.filter((s) => !ISO_OR_DOTTED.test(s));
    const fields = fc.dictionary(
      hostileText.filter((k) => k !== '_csrf'),
      hostileText,
      { maxKeys: 4 },
    );

    it('accepts the form without a hostile part: the baseline the properties below vary', async () => {
      const kari = await nextResident();
      expect(kari.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const before = await stored();
      const answer = await postJson(kari, deferral(kari), {
        newDueDate: kari.dueDate,
        email: 'kari@example.org',
      });
      expect({ status: answer.status, location: answer.location }).toEqual({
        status: 303,
        location: expect.stringMatching(/^\/saker\/UTS-/),
      });
      expect(await stored()).toMatchObject({
        requests: before.requests + 1,
        audit: before.audit + 1,
      });
    });

    it('answers dates that are none with 400 and stores nothing, as a form or as JSON', async () => {
      const kari = await nextResident();
      await fc.assert(
        fc.asyncProperty(
          notADate,
          hostileText,
          fields,
          fc.boolean(),
          async (newDueDate, email, extra, asJson) => {
            const body = { ...extra, newDueDate, email };
            await refusedAndNothingStored(
              () =>
                asJson
                  ? postJson(kari, deferral(kari), body)
                  : postForm(kari, deferral(kari), body),
              400,
            );
          },
        ),
        RUNS,
      );
    });

    it('refuses a control character in any field or key with 400, even beside a valid date', async () => {
      const kari = await nextResident();
      const field = fc.constantFrom('newDueDate', 'email', 'note', 'key');
      await fc.assert(
        fc.asyncProperty(withControlInText, field, fc.boolean(), async (hostile, where, asJson) => {
          const body: Record<string, string> = {
            newDueDate: kari.dueDate,
            email: 'kari@example.org',
          };
          if (where === 'key') body[hostile] = 'x';
          else body[where] = hostile;
          await refusedAndNothingStored(
            () =>
              asJson ? postJson(kari, deferral(kari), body) : postForm(kari, deferral(kari), body),
            400,
          );
        }),
        RUNS,
      );
    });

    it('refuses deeply nested bodies and fields hidden behind __proto__ or constructor with 400', async () => {
      const kari = await nextResident();
      const date = JSON.stringify(kari.dueDate);
      const bodies = fc.oneof(
        // A valid date, and something nested far deeper than any form.
        deepNesting.map(
          ({ depth, asObject }) =>
            `{"newDueDate":${date},"extra":${nestedJson(depth, '1', asObject)}}`,
        ),
        // The date itself nested.
        deepNesting.map(
          ({ depth, asObject }) => `{"newDueDate":${nestedJson(depth, date, asObject)}}`,
        ),
        // The fields only reachable through a polluted prototype.
        fc.constantFrom(
          `{"__proto__":{"newDueDate":${date}}}`,
          `{"constructor":{"prototype":{"newDueDate":${date}}}}`,
          `[{"newDueDate":${date}}]`,
          `{"__proto__":[${date}],"newDueDate":{"__proto__":${date}}}`,
        ),
      );
      await fc.assert(
        fc.asyncProperty(bodies, async (text) =>
          refusedAndNothingStored(() => postJsonText(kari, deferral(kari), text), 400),
        ),
        RUNS,
      );
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as Record<string, unknown>).newDueDate).toBeUndefined();
    });

    it('answers a date of the wrong type with 400', async () => {
      const kari = await nextResident();
      await fc.assert(
        fc.asyncProperty(wrongType, async (newDueDate) =>
          refusedAndNothingStored(
            () => postJson(kari, deferral(kari), { newDueDate, email: 'kari@example.org' }),
            400,
          ),
        ),
        RUNS,
      );
    });

    it('answers an e-mail address of the wrong type with 400 rather than dropping it (beside a valid date)', async () => {
      const kari = await nextResident();
      const emails = fc.oneof(
        // null may fairly mean "no address"; a number, a boolean, a list or an object may not.
        // JSON has no Infinity or NaN: JSON.stringify sends them as null, which is no address.
        wrongType
          .filter(
            (email) => email !== null && !(typeof email === 'number' && !Number.isFinite(email)),
          )
          .map((email) => ({ asJson: true, email })),
        fc.constant({ asJson: false, email: ['kari@example.org', 'ola@example.org'] }),
      );
      await fc.assert(
        fc.asyncProperty(emails, async ({ asJson, email }) => {
          const path = deferral(kari);
          const send = asJson
            ? () => postJson(kari, path, { newDueDate: kari.dueDate, email })
            : () =>
                kari.agent.send('POST', path, {
                  body: new URLSearchParams([
                    ['_csrf', kari.csrf],
                    ['newDueDate', kari.dueDate],
                    ...(email as string[]).map((e) => ['email', e]),
                  ]).toString(),
                  headers: { 'content-type': FORM_TYPE },
                });
          await refusedAndNothingStored(send, 400);
        }),
        RUNS,
      );
    });

    it('refuses bodies over the limits with 413, and malformed JSON or an unknown charset with 400 or 415', async () => {
      const kari = await nextResident();
      // Each case names its size, not its text, so a failure report stays short.
      const oversized = fc.oneof(
        fc.record({
          kind: fc.constant('form field' as const),
          n: fc.integer({ min: 33 * 1024, max: 200 * 1024 }),
        }),
        fc.record({
          kind: fc.constant('JSON field' as const),
          n: fc.integer({ min: 257 * 1024, max: 600 * 1024 }),
        }),
        fc.record({
          kind: fc.constant('form fields' as const),
          n: fc.integer({ min: 201, max: 2000 }),
        }),
        fc.record({ kind: fc.constant('malformed JSON' as const), tail: hostileText }),
        fc.record({
          kind: fc.constant('charset' as const),
          charset: fc.constantFrom('latin1', 'iso-8859-1', 'x-evil'),
        }),
      );
      type Oversized = typeof oversized extends fc.Arbitrary<infer T> ? T : never;
      const request = (c: Oversized): { type: string; text: string; status: number[] } => {
        const date = kari.dueDate;
        switch (c.kind) {
          case 'form field':
            return {
              type: FORM_TYPE,
              text: `newDueDate=${date}&email=${'a'.repeat(c.n)}`,
              status: [413],
            };
          case 'JSON field':
            return {
              type: 'application/json',
              text: JSON.stringify({ newDueDate: date, note: 'x'.repeat(c.n) }),
              status: [413],
            };
          case 'form fields':
            return {
              type: FORM_TYPE,
              text: `newDueDate=${date}&${Array.from({ length: c.n }, (_, i) => `f${i}=1`).join('&')}`,
              status: [413],
            };
          case 'malformed JSON':
            // Two commas in a row: malformed whatever follows.
            return {
              type: 'application/json',
              text: `{"newDueDate":${JSON.stringify(date)},,${c.tail}}`,
              status: [400],
            };
          case 'charset':
            return {
              type: `application/json; charset=${c.charset}`,
              text: JSON.stringify({ newDueDate: date }),
              status: [400, 415],
            };
        }
      };
      await fc.assert(
        fc.asyncProperty(oversized, async (c) => {
          const { type, text, status } = request(c);
          await refusedAndNothingStored(
            () =>
              kari.agent.send('POST', deferral(kari), {
                body: text,
                headers: {
                  accept: 'application/json',
                  'content-type': type,
                  'x-csrf-token': kari.csrf,
                },
              }),
            status,
          );
        }),
        { numRuns: 20 },
      );
    });
  });

  describe('sending a case to an officer (POST /saker/:reference/saksbehandler)', () => {
    const officer = () => `/saker/${reference}/saksbehandler`;

    it('refuses control characters, empty, overlong and wrongly typed messages with 400; the case stays as it was', async () => {
      const form = (message: string, status: readonly number[] = [400]) => ({
        message: message as unknown,
        asJson: false,
        status,
      });
      const json = (message: unknown) => ({ message, asJson: true, status: [400] });
      const messages = fc.oneof(
        withControlInText.map(form),
        withControlInText.map(json),
        fc.constantFrom('', ' ', '\n\t\r\n', '\u00a0\u2003').map((m) => form(m)),
        // Longer than the 1000 characters allowed; the longest pass the form's 32 kB body limit (413).
        fc
          .string({ unit: 'grapheme-ascii', minLength: 1001, maxLength: 12_000 })
          .filter((m) => m.trim().length > 1000)
          .map((m) => form(m, [400, 413])),
        wrongType.map(json),
        deepNesting.map(({ depth, asObject }) =>
          json(JSON.parse(nestedJson(Math.min(depth, 2000), '"hei"', asObject))),
        ),
      );
      await fc.assert(
        fc.asyncProperty(messages, async ({ message, asJson, status }) =>
          refusedAndNothingStored(
            () =>
              asJson
                ? postJson(ingrid, officer(), { message })
                : postForm(ingrid, officer(), { message: message as string }),
            status,
          ),
        ),
        RUNS,
      );
    });
  });

  describe('logout (POST /auth/logout)', () => {
    it('refuses a body with control characters or deep nesting with 400, and the session lives on', async () => {
      const who = await nextResident();
      // A field needs a name: the form parser (qs) drops `=value` and `__proto__=value` pairs
      // unread, so a control character there reaches nothing and the logout goes ahead.
      const names = hostileText.filter((k) => !['', '_csrf', '__proto__'].includes(k));
      const bodies = fc.oneof(
        fc.tuple(names, withControlInText).map(([key, value]) => ({ form: { [key]: value } })),
        fc
          .tuple(withControlInText, hostileText)
          .map(([key, value]) => ({ form: { [key]: value } })),
        deepNesting.map(({ depth, asObject }) => ({
          json: `{"extra":${nestedJson(depth, '0', asObject)}}`,
        })),
      );
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          await refusedAndNothingStored(
            () =>
              'form' in body
                ? postForm(who, '/auth/logout', body.form)
                : postJsonText(who, '/auth/logout', body.json),
            400,
          );
          expect((await who.agent.get('/min-side')).status).toBe(200);
        }),
        RUNS,
      );
    });
  });

  describe('the language switch (GET /language/:code?return=…)', () => {
    it('answers an unknown language with 404, or 400 when it holds a control character', async () => {
      const code = fc
        .oneof(hostileText, withControlInUrl)
        .filter((c) => c !== '' && !['nb', 'nn', 'en'].includes(c));
      await fc.assert(
        fc.asyncProperty(code, async (c) => {
          const answer = await new HostAgent(env.t.url, host).get(
            `/language/${encodePathSegment(c)}`,
          );
          expectRefusal(answer, CONTROL_IN_URL.some((x) => c.includes(x)) ? 400 : 404);
        }),
        RUNS,
      );
    });

    it('goes back only to a page of this site, and refuses control characters in the return path with 400', async () => {
      const back = fc.oneof(
        hostileText,
        hostileText.map((s) => `/${s}`),
        fc.constantFrom(
          '//evil.example',
          '/\\evil.example',
          'https://evil.example/',
          '/%2F/evil.example',
          '/./\\/evil.example',
          '\\\\evil.example',
          'javascript:alert(1)',
        ),
        withControlInUrl.map((s) => `/${s}`),
      );
      await fc.assert(
        fc.asyncProperty(back, async (returnTo) => {
          const answer = await new HostAgent(env.t.url, host).get(
            `/language/en?${new URLSearchParams({ return: returnTo })}`,
          );
          if (CONTROL_IN_URL.some((x) => returnTo.includes(x))) {
            expectRefusal(answer, 400);
            return;
          }
          expect(answer.status).toBe(303);
          const target = new URL(answer.location!, env.t.url);
          expect({ returnTo, origin: target.origin }).toEqual({ returnTo, origin: env.t.url });
        }),
        RUNS,
      );
    });
  });

  describe('path parameters', () => {
    const segments = fc.oneof(
      hostileText
        .filter((s) => s !== '' && s !== '.' && s !== '..')
        .map((s) => ({ raw: s, encoded: encodePathSegment(s) })),
      withControlInUrl.map((s) => ({ raw: s, encoded: encodePathSegment(s) })),
      brokenEscape.map((s) => ({ raw: null, encoded: s })),
      fc
        .string({ unit: 'grapheme-ascii', minLength: 2000, maxLength: 4000 })
        .map((s) => ({ raw: s, encoded: encodePathSegment(s) })),
    );
    /** A malformed escape or a control character is refused as such; anything else is simply not there. */
    const expectedFor = (raw: string | null) =>
      raw === null || CONTROL_IN_URL.some((c) => raw.includes(c)) ? 400 : 404;

    it.each([
      ['GET', '/fakturaer/:invoiceId'],
      ['GET', '/saker/:reference'],
      ['POST', '/fakturaer/:invoiceId/utsettelse'],
      ['POST', '/saker/:reference/saksbehandler'],
    ])(
      '%s %s answers a hostile parameter with 404, or 400 for control characters and broken escapes',
      async (method, route) => {
        const who = method === 'GET' ? ingrid : await nextResident();
        await fc.assert(
          fc.asyncProperty(segments, async ({ raw, encoded }) => {
            const path = route.replace(/:\w+/, encoded);
            const form: Record<string, string> = route.endsWith('utsettelse')
              ? { newDueDate: who.dueDate }
              : { message: 'Hei' };
            await refusedAndNothingStored(
              () => (method === 'GET' ? who.agent.get(path) : postForm(who, path, form)),
              expectedFor(raw),
            );
          }),
          RUNS,
        );
      },
    );
  });

  describe('query strings', () => {
    it('refuses a control character in the query of every route with 400, and stores nothing', async () => {
      const who = await nextResident();
      const routes = appRoutes(env.t.app).filter((r) => !r.includes(CSRF_PROBE_PATH));
      const fill = (route: string) =>
        route
          .split(' ')[1]
          .replace(':invoiceId', who.invoiceId)
          .replace(':reference', reference)
          .replace(':code', 'nb');
      const query = fc.oneof(
        fc.tuple(hostileText, withControlInUrl),
        fc.tuple(withControlInUrl, hostileText),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), query, async (route, [key, value]) => {
          const path = `${fill(route)}?${new URLSearchParams([[key, value]])}`;
          await refusedAndNothingStored(
            () =>
              route.startsWith('POST')
                ? postForm(who, path, { newDueDate: who.dueDate, message: 'Hei' })
                : who.agent.get(path, 'application/json'),
            400,
          );
        }),
        { numRuns: 50 },
      );
      expect((await who.agent.get('/min-side')).status).toBe(200);
    });
  });
});
