import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * How the sink treats the next connections: takes messages; never greets (a stalled server: the
 * client waits for its time-out); refuses each recipient for now (451) or for good (550).
 */
export type SmtpSinkMode = 'accept' | 'stall' | 'tempfail' | 'reject';

export interface SmtpSink {
  url: string;
  messages: { to: string[]; raw: string }[];
  mode: SmtpSinkMode;
  /** Connections made so far, whatever became of them. */
  connections: number;
  /** Resolves with the first message to `address`, polling every 25 ms. */
  waitFor(address: string, timeoutMs?: number): Promise<{ to: string[]; raw: string }>;
  close(): Promise<void>;
}

/** A real SMTP server on a free port that keeps every message it receives, for reading back. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const stalled = new Set<Socket>();
  const sink: SmtpSink = {
    url: '',
    messages: [],
    mode: 'accept',
    connections: 0,
    waitFor: async (address, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = sink.messages.find((m) => m.to.includes(address));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no message to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of stalled) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(session, callback) {
      sink.connections++;
      // Never called back: the greeting never comes, as from a hung server.
      if (sink.mode !== 'stall') callback();
    },
    onRcptTo(_address, _session, callback) {
      if (sink.mode === 'accept') return callback();
      const error = new Error(sink.mode === 'reject' ? 'Mailbox unavailable' : 'Try again later');
      (error as Error & { responseCode: number }).responseCode = sink.mode === 'reject' ? 550 : 451;
      callback(error);
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        sink.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    stalled.add(socket);
    socket.on('close', () => stalled.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  sink.url = `smtp://127.0.0.1:${port}`;
  return sink;
}

/** Decodes quoted-printable so a test can search the message text. */
export function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
