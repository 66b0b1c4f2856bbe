import type { DestinationStream } from 'pino';

/** Colour codes some libraries put into their messages (MikroORM's migrator). */
const ANSI_CODES = /\u001b\[[0-9;]*m/g;
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Nest's list of modules and routes at start: dozens of lines a person reading along never needs. */
const START_UP_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
/** What the line itself shows; anything else a log line carries follows as key=value. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'context', 'msg', 'req', 'res', 'err']);

interface LogEntry {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  req?: { method?: string; path?: string };
  res?: { statusCode?: number };
  err?: { type?: string; message?: string; stack?: string };
  responseTime?: number;
  [key: string]: unknown;
}

function clock(time: number | undefined): string {
  const at = new Date(time ?? Date.now());
  return [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * One pino JSON line as one line of plain text for a person reading along: time, level, context,
 * the message (an access line as method, path, status and time), the other fields as key=value;
 * an error's stack on the lines after it. Null for start-up chatter below WARN. Text that is not
 * JSON passes through unchanged.
 */
export function prettyLogLine(json: string): string | null {
  let entry: LogEntry;
  try {
    entry = JSON.parse(json) as LogEntry;
  } catch {
    return json;
  }
  if (entry === null || typeof entry !== 'object') return json;
  const level = Number(entry.level ?? 30);
  const message = String(entry.msg ?? '').replace(ANSI_CODES, '');
  const chatter =
    START_UP_CHATTER.has(entry.context ?? '') ||
    (entry.context === 'MikroORM' && message.startsWith('[migrator]'));
  if (level < 40 && chatter) return null;
  const parts = [clock(entry.time), (LEVEL_NAMES[level] ?? String(level)).padEnd(5)];
  if (entry.context) parts.push(`[${entry.context}]`);
  if (entry.req && entry.res) {
    parts.push(`${entry.req.method ?? ''} ${entry.req.path ?? ''} ${entry.res.statusCode ?? ''}`);
    if (typeof entry.responseTime === 'number') parts.push(`${entry.responseTime} ms`);
    delete entry.responseTime;
  } else parts.push(message);
  if (entry.err) parts.push(`${entry.err.type ?? 'Error'}: ${entry.err.message ?? ''}`.trim());
  for (const [key, value] of Object.entries(entry))
    if (!SHOWN.has(key) && value !== undefined) parts.push(`${key}=${valueText(value)}`);
  const line = parts.filter((part) => part !== '').join(' ');
  const stack = level >= 50 ? entry.err?.stack?.split('\n').slice(1) : undefined;
  return stack?.length ? [line, ...stack.map((l) => `    ${l.trim()}`)].join('\n') : line;
}

/** A pino destination writing `prettyLogLine`s to `out` (stdout), whole lines at a time. */
export function prettyLogDestination(
  out: Pick<NodeJS.WritableStream, 'write'> = process.stdout,
): DestinationStream {
  let pending = '';
  return {
    write(chunk: string): void {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        const text = prettyLogLine(line);
        if (text !== null) out.write(`${text}\n`);
      }
    },
  };
}
