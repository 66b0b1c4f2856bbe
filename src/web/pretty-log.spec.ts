import { prettyLogDestination, prettyLogLine } from './pretty-log';

const at = new Date(2026, 11, 6, 9, 5, 7).getTime();
const line = (entry: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: at, pid: 1, hostname: 'vm', ...entry });

describe(prettyLogLine, () => {
  it('writes time, level, context and message on one line', () => {
    expect(prettyLogLine(line({ context: 'DemoSeed', msg: 'Seeded 2 demo municipalities' }))).toBe(
      '09:05:07 INFO  [DemoSeed] Seeded 2 demo municipalities',
    );
  });

  it('shows an access line as method, path, status and time, and other fields as key=value', () => {
    expect(
      prettyLogLine(
        line({
          req: { id: 'r1', method: 'GET', path: '/fakturaer' },
          res: { statusCode: 200 },
          responseTime: 12,
          msg: 'request completed',
        }),
      ),
    ).toBe('09:05:07 INFO  GET /fakturaer 200 12 ms');
    expect(
      prettyLogLine(line({ level: 40, msg: 'Database unavailable', kind: 'lock timeout' })),
    ).toBe('09:05:07 WARN  Database unavailable kind="lock timeout"');
  });

  it('takes the colour codes out of a message', () => {
    expect(
      prettyLogLine(
        line({ context: 'Database', msg: '\u001b[90mApplied\u001b[39m 12 migrations' }),
      ),
    ).toBe('09:05:07 INFO  [Database] Applied 12 migrations');
  });

  it('leaves out the start-up chatter below WARN, but never a warning', () => {
    expect(prettyLogLine(line({ context: 'RouterExplorer', msg: 'Mapped {/, GET} route' }))).toBe(
      null,
    );
    expect(
      prettyLogLine(
        line({ context: 'MikroORM', msg: "\u001b[90m[migrator] \u001b[39mApplied 'X'" }),
      ),
    ).toBe(null);
    expect(prettyLogLine(line({ level: 40, context: 'RoutesResolver', msg: 'odd' }))).toBe(
      '09:05:07 WARN  [RoutesResolver] odd',
    );
  });

  it('puts an error’s stack, and only an error’s, on the lines after it', () => {
    const err = {
      type: 'TypeError',
      message: 'x is undefined',
      stack: 'TypeError: x\n    at f (a.ts:1:2)',
    };
    expect(prettyLogLine(line({ level: 50, msg: 'Request failed', err }))).toBe(
      '09:05:07 ERROR Request failed TypeError: x is undefined\n    at f (a.ts:1:2)',
    );
    expect(prettyLogLine(line({ level: 40, msg: 'Retrying', err }))).toBe(
      '09:05:07 WARN  Retrying TypeError: x is undefined',
    );
  });

  it('passes text that is not a JSON log line through', () => {
    expect(prettyLogLine('not json')).toBe('not json');
  });
});

describe(prettyLogDestination, () => {
  it('writes whole lines, however pino splits its writes', () => {
    const written: string[] = [];
    const destination = prettyLogDestination({ write: (text: string) => written.push(text) > 0 });
    const a = line({ msg: 'one' });
    destination.write(`${a.slice(0, 10)}`);
    destination.write(`${a.slice(10)}\n${line({ context: 'InstanceLoader', msg: 'x' })}\n`);
    expect(written).toEqual(['09:05:07 INFO  one\n']);
  });
});
