import { MikroORM } from '@mikro-orm/core';
import request from 'supertest';
import { createMunicipality } from '../support/factories';
import { startTcpProxy } from '../support/tcp-proxy';
import { startTestApp, startTestAppOn, TestApp } from '../support/test-app';

describe('Foundation (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DEFAULT_MUNICIPALITY: 'nordby' });
    await createMunicipality(t.em(), {
      slug: 'nordby',
      name: 'Nordby kommune',
      hostnames: ['nordby.test'],
    });
    await createMunicipality(t.em(), {
      slug: 'sorby',
      name: 'Sørby kommune',
      hostnames: ['sorby.test'],
    });
    t.refreshTenants();
  });
  afterAll(() => t.close());

  describe('landing page', () => {
    it('is served in bokmål for the municipality the host name belongs to', async () => {
      const res = await request(t.url)
        .get('/')
        .set('Host', 'sorby.test')
        .set('Accept', 'text/html')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<html lang="nb" data-color-scheme="auto">');
      expect(res.text).toContain('Sørby kommune');
      expect(res.text).toContain('Fakturaer og betalingsutsettelse');
      expect(res.text).not.toContain('Nordby kommune');
    });

    it('falls back to the configured default municipality when the host is unknown', async () => {
      const res = await request(t.url).get('/').set('Host', 'elsewhere.test').expect(200);
      expect(res.text).toContain('Nordby kommune');
    });

    it('follows Accept-Language when no language was chosen', async () => {
      const res = await request(t.url)
        .get('/')
        .set('Accept-Language', 'nn-NO,nn;q=0.9,en;q=0.5')
        .expect(200);
      expect(res.text).toContain('<html lang="nn" data-color-scheme="auto">');
      expect(res.text).toContain('Fakturaer og betalingsutsetjing');
    });
  });

  describe('language switch', () => {
    it('remembers the chosen language and returns to the page the person was on', async () => {
      const agent = request.agent(t.url);
      const switched = await agent.get('/language/en?return=%2F%3Fx%3D1').expect(303);
      expect(switched.headers.location).toBe('/?x=1');
      const page = await agent.get('/').set('Accept-Language', 'nb').expect(200);
      expect(page.text).toContain('<html lang="en" data-color-scheme="auto">');
      expect(page.text).toContain('Invoices and payment deferral');
    });

    it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example'])(
      'never redirects off-site (%s)',
      async (target) => {
        const res = await request(t.url)
          .get(`/language/nn?return=${encodeURIComponent(target)}`)
          .expect(303);
        expect(res.headers.location).toBe('/');
      },
    );

    it('answers 404 for a language it does not have', async () => {
      await request(t.url).get('/language/sv').set('Accept', 'text/html').expect(404);
    });
  });

  describe('errors', () => {
    it('renders a translated 404 page for browsers', async () => {
      const res = await request(t.url).get('/no-such-page').set('Accept', 'text/html').expect(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Fant ikke siden');
      expect(res.text).toContain('href="/"');
    });

    it('renders the 413 page for a form too large in the visitor’s language, under the municipality’s header', async () => {
      // The body parser refuses it before any route: the page must still know where and to whom.
      const res = await request(t.url)
        .post('/saker/UTS-1/saksbehandler')
        .set('Host', 'sorby.test')
        .set('Accept', 'text/html')
        .set('Accept-Language', 'nn')
        .type('form')
        .send({ message: 'x'.repeat(40 * 1024) })
        .expect(413);
      expect(res.text).toContain('<html lang="nn" data-color-scheme="auto">');
      expect(res.text).toContain('For mykje data');
      expect(res.text).toMatch(/class="brand-municipality">Sørby kommune</);
      // The language switch is there too, returning to the page the person was on.
      expect(res.text).toContain('href="/language/nb?return=%2Fsaker%2FUTS-1%2Fsaksbehandler"');
    });

    it('answers API clients with RFC 9457 problem details', async () => {
      const res = await request(t.url)
        .get('/api/no-such-thing')
        .set('Accept', 'application/json')
        .expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 404,
        title: 'Fant ikke siden',
        instance: '/api/no-such-thing',
      });
      expect(res.body.requestId).toEqual(res.headers['x-request-id']);
    });

    it('turns a malformed JSON body into a 400 problem, not a 500', async () => {
      const res = await request(t.url)
        .post('/api/anything')
        .set('Content-Type', 'application/json')
        .set('Accept', 'application/json')
        .send('{"broken":');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('security', () => {
    it('sends a strict Content-Security-Policy without inline script', async () => {
      const res = await request(t.url).get('/').expect(200);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('refuses a form post without a CSRF token before it reaches any route', async () => {
      const res = await request(t.url)
        .post('/no-such-form')
        .type('form')
        .send({ a: '1' })
        .set('Accept', 'text/html');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Ingen tilgang');
    });

    it('echoes a well-formed incoming request id and replaces a malformed one', async () => {
      const kept = await request(t.url).get('/health/live').set('X-Request-Id', 'abc-123');
      expect(kept.headers['x-request-id']).toBe('abc-123');
      const replaced = await request(t.url)
        .get('/health/live')
        .set('X-Request-Id', 'bad id with spaces');
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('database', () => {
    it('has a schema that matches the entities after the migrations ran', async () => {
      const orm = t.app.get(MikroORM);
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
      expect(await orm.migrator.getPending()).toHaveLength(0);
    });
  });

  describe('health', () => {
    it('reports live and ready while the database answers', async () => {
      await request(t.url).get('/health/live').expect(200, { status: 'ok' });
      const ready = await request(t.url).get('/health/ready').expect(200);
      expect(ready.body.info.database.status).toBe('up');
    });
  });
});

// SQLite has no server to lose; this runs whenever the suite runs on PostgreSQL (as CI does).
(process.env.TEST_DATABASE_URL ? describe : describe.skip)(
  'Health when PostgreSQL goes away (e2e)',
  () => {
    it('answers 503 on /health/ready while /health/live stays up', async () => {
      const t = await startTestApp({ DEFAULT_MUNICIPALITY: 'x' });
      const real = new URL(t.db.env.DATABASE_URL);
      const proxy = await startTcpProxy(real.hostname, Number(real.port || 5432));
      await t.app.close();
      const via = new URL(real);
      via.port = String(proxy.port);
      const app = await startTestAppOn(t.db, {
        DEFAULT_MUNICIPALITY: 'x',
        DATABASE_URL: via.toString(),
      });
      try {
        await request(app.url).get('/health/ready').expect(200);
        await proxy.cut();
        await request(app.url).get('/health/ready').set('Accept', 'application/json').expect(503);
        await request(app.url).get('/health/live').expect(200);
      } finally {
        await app.close();
      }
    });
  },
);

describe('An installation without a default municipality (e2e)', () => {
  it('tells a visitor on an unknown host that the municipality is unknown', async () => {
    const t = await startTestApp();
    try {
      await createMunicipality(t.em(), { hostnames: ['known.test'] });
      t.refreshTenants();
      const res = await request(t.url)
        .get('/')
        .set('Host', 'unknown.test')
        .set('Accept', 'text/html')
        .expect(404);
      expect(res.text).toContain('Ukjent kommune');
      await request(t.url).get('/').set('Host', 'known.test').expect(200);
    } finally {
      await t.close();
    }
  });
});
