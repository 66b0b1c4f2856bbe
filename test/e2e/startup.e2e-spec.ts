import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { spawnPortal } from '../support/spawn-portal';

const sqlite = () => join(mkdtempSync(join(tmpdir(), 'mf-start-')), 'db.sqlite');

/** The last line on stderr: what an operator sees when the portal refuses to start. */
function failureLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1];
}

describe('Starting the portal (e2e, real process)', () => {
  it.each([
    [
      'a port that is not a number',
      { PORT: 'abc' },
      /^minside-faktura could not start: Invalid configuration: PORT must be a whole number from 1 to 65535, got 'abc'$/,
    ],
    [
      'a port out of range',
      { PORT: '70000' },
      /PORT must be a whole number from 1 to 65535, got '70000'/,
    ],
    [
      'a DATABASE_URL that is not a PostgreSQL URL',
      { DATABASE_URL: 'mysql://root@localhost/x' },
      /DATABASE_URL must be a URL like postgresql:\/\/user:password@host:5432\/database$/,
    ],
    [
      'a DATABASE_URL that is not a URL at all',
      { DATABASE_URL: 'not a url' },
      /DATABASE_URL must be a URL like postgresql/,
    ],
    [
      'an unreachable database',
      { DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:9/minside' },
      /the database at 127\.0\.0\.1:9 refused the connection \(is it running\? check DATABASE_URL\)$/,
    ],
    [
      'production without a session secret',
      { NODE_ENV: 'production' },
      /SESSION_SECRET must be set in production$/,
    ],
    [
      'production with the development session secret from the source',
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'development-only-secret-never-use-in-production!',
      },
      /SESSION_SECRET must be this installation's own value in production, not the development default$/,
    ],
    [
      'the embedded test login in production',
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        OIDC_ISSUER: 'https://login.example',
        OIDC_CLIENT_ID: 'c',
        OIDC_CLIENT_SECRET: 's',
        OIDC_TEST_LOGIN: 'true',
      },
      /OIDC_TEST_LOGIN must not be used in production/,
    ],
    [
      'a plain http issuer in production',
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        OIDC_ISSUER: 'http://login.example',
        OIDC_CLIENT_ID: 'c',
        OIDC_CLIENT_SECRET: 's',
      },
      /OIDC_ISSUER must be https in production/,
    ],
    [
      'an issuer that cannot be reached',
      { OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' },
      /OpenID discovery at http:\/\/127\.0\.0\.1:9 failed/,
    ],
    [
      'the embedded staff test login in production',
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        STAFF_OIDC_ISSUER: 'https://login.example',
        STAFF_OIDC_CLIENT_ID: 'c',
        STAFF_OIDC_CLIENT_SECRET: 's',
        STAFF_ROLE_MAP: '{}',
        STAFF_OIDC_TEST_LOGIN: 'true',
      },
      /: Invalid configuration: STAFF_OIDC_TEST_LOGIN must not be used in production \(the embedded test login accepts anyone\)$/,
    ],
    [
      'a staff role map with a role it does not know',
      { STAFF_ROLE_MAP: '{"fin":["fjordvik:boss"]}' },
      /: Invalid configuration: STAFF_ROLE_MAP has an unknown role "boss" for "fin"; the roles are finance-officer, policy-approver, auditor, operator$/,
    ],
    [
      'a staff role map naming a municipality the installation does not serve',
      { STAFF_ROLE_MAP: '{"fin":["nowhere:auditor"]}' },
      /: Invalid configuration: STAFF_ROLE_MAP names 'nowhere', which this installation does not serve \(municipalities: asdal, fjordvik\)$/,
    ],
    ['a log level it does not know', { LOG_LEVEL: 'loud' }, /LOG_LEVEL .*got 'loud'/],
  ])(
    'V13.3.1/V16.5.1: stops with one clear line and a non-zero exit on %s',
    async (_name, env, expected) => {
      const { done } = spawnPortal({ SQLITE_PATH: sqlite(), PORT: '39999', ...env });
      const run = await done;
      expect(run.code).toBe(1);
      const line = failureLine(run.stderr);
      expect(line).toMatch(expected);
      expect(line).not.toContain('secret');
      // Only that line: no framework stack or coloured log lines before it, on either stream.
      expect(run.stderr.trim().split('\n')).toEqual([line]);
      expect(run.stdout).not.toMatch(/\bat .+:\d+:\d+|ERROR|\u001b\[/);
    },
  );

  it('starts, answers ready, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, done } = spawnPortal({
      SQLITE_PATH: sqlite(),
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    const ready = await waitForReady(`http://127.0.0.1:${port}/health/ready`, done);
    expect(ready).toBe(200);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

async function waitForReady(url: string, exited: Promise<unknown>): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < 200 && !gone; attempt++) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return 200;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the portal did not become ready');
}
