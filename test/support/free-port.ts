import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The lowest port handed out: above every port browsers refuse to load pages from (Chromium's and
 * Firefox's restricted lists end at 10080, which Chromium answered with ERR_UNSAFE_PORT in a
 * browser test), and clear of the well-known services.
 */
const LOWEST = 20_000;

/**
 * The ports the kernel gives outgoing connections (Linux's `ip_local_port_range`; elsewhere
 * IANA's dynamic range).
 */
export function ephemeralPortRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low > 1024 && high >= low)
      return { low, high };
  } catch {
    // not Linux: the default below
  }
  return { low: 49152, high: 65535 };
}

/**
 * A TCP port that was free a moment ago, for servers whose address must be known in advance.
 * Taken below the ephemeral range: a port from that range (what `listen(0)` gives) can become the
 * local port of any outgoing connection before the server listens on it (the tests open hundreds
 * to PostgreSQL), and the server then fails with EADDRINUSE, as a whole suite once did in CI.
 * Below it only another listener can take the port; a random one of thousands, tried first.
 */
export async function freePort(): Promise<number> {
  const { low } = ephemeralPortRange();
  if (low - LOWEST < 1000) return kernelPort();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (low - LOWEST));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${LOWEST} and ${low - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the kernel picks (in the ephemeral range), where no range lies below it. */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
