import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Sits in front of the Express app on the HTTP server, so that shutdown can stop taking requests
 * and know when the last one in flight has been answered. In front of Express rather than in it:
 * a request refused here never reaches the session store or the database.
 */
export class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    const app = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) return refuse(res);
      this.inFlight.add(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        // Its connection is idle now (unless the client sent more): close it.
        if (this.draining) setImmediate(() => this.server.closeIdleConnections());
      });
      for (const listener of app) listener.call(server, req, res);
    });
  }

  /**
   * Stops listening, closes idle keep-alive connections, answers requests that still arrive on
   * open ones with 503, lets those in flight finish (their responses close their connections) and
   * resolves when every connection is gone, or after `limitMs`, cutting off what is left.
   */
  async close(limitMs: number): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), limitMs);
    });
    const cutOff = await Promise.race([closed.then(() => false), late]);
    clearTimeout(timer);
    if (cutOff) {
      this.server.closeAllConnections();
      await closed;
    }
  }
}

function refuse(res: ServerResponse): void {
  res.writeHead(503, {
    Connection: 'close',
    'Cache-Control': 'no-store',
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Retry-After': '1',
  });
  res.end('Service Unavailable: shutting down\n');
}
