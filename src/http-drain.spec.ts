import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDrain } from './http-drain';

interface Answer {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

function get(port: number, agent: Agent, path = '/'): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, connection: res.headers.connection, body }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
    req.end();
  });
}

describe(HttpDrain.name, () => {
  let server: Server;
  let drain: HttpDrain;
  let port: number;
  let release: () => void;
  let slowArrived: Promise<void>;

  beforeEach(async () => {
    let arrived: () => void;
    slowArrived = new Promise((resolve) => (arrived = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = createServer((req, res) => {
      if (req.url === '/slow') {
        arrived();
        void gate.then(() => res.end('slow done'));
      } else res.end('quick');
    });
    drain = new HttpDrain(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => server.closeAllConnections());

  describe('close', () => {
    it('lets a request in flight finish with Connection: close and refuses new ones', async () => {
      const idle = new Agent({ keepAlive: true });
      expect(await get(port, idle)).toMatchObject({ status: 200, connection: 'keep-alive' });
      const busy = new Agent({ keepAlive: true });
      const slow = get(port, busy, '/slow');
      await slowArrived;

      let closed = false;
      const closing = drain.close(5_000).then(() => (closed = true));
      // Not listening any more: a new connection is refused.
      expect(await get(port, new Agent())).toEqual({ error: 'ECONNREFUSED' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);

      release();
      expect(await slow).toEqual({ status: 200, connection: 'close', body: 'slow done' });
      await closing;
      expect(closed).toBe(true);
      idle.destroy();
      busy.destroy();
    });

    it('cuts off what is still running after its limit', async () => {
      const slow = get(port, new Agent({ keepAlive: true }), '/slow');
      await slowArrived;
      await drain.close(100);
      expect((await slow).error).toBe('ECONNRESET');
    });
  });
});
