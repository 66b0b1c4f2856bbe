import { createServer, Socket, type Server } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every connection and refuses new ones, as a database host that went away. */
  cut(): Promise<void>;
  /** Takes connections again on the same port after `cut`, as the host coming back. */
  restore(): Promise<void>;
  /** Cuts every open connection but keeps taking new ones, as a network blip or a killed backend. */
  killConnections(): void;
}

/** A loopback TCP proxy to `target`, so a test can make a real server disappear. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const killConnections = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    cut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        killConnections();
      });
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    killConnections,
  };
}
