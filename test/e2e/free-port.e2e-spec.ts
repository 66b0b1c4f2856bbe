import { createServer } from 'node:net';
import { ephemeralPortRange, freePort } from '../support/free-port';

/**
 * The test servers whose address must be known before they start (the portal, named in the test
 * provider's redirect URIs) get it from `freePort`. A port from the kernel's ephemeral range can
 * become the local port of any outgoing connection before the server listens (the tests open
 * hundreds to PostgreSQL): CI once failed a whole suite with EADDRINUSE that way.
 */
describe('freePort (test support)', () => {
  it('gives ports below the range outgoing connections are given theirs from', async () => {
    const { low } = ephemeralPortRange();
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    for (const port of ports) {
      // Above the ports browsers refuse (the highest on their lists is 10080).
      expect(port).toBeGreaterThan(10080);
      expect(port).toBeLessThan(low);
    }
  });

  it('gives a port a server can listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
