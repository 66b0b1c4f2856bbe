/**
 * A small MIME reader for tests: enough for nodemailer's multipart/alternative with quoted-printable
 * or base64 parts and RFC 2047 headers (mailparser is not a dependency).
 */

function splitHead(block: string): { headers: Map<string, string>; body: string } {
  const end = block.indexOf('\r\n\r\n');
  const head = block.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: block.slice(end + 4) };
}

function decodeQuotedPrintable(text: string): string {
  const input = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const hex = input.slice(i + 1, i + 3);
    if (input[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(input.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects and display names. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_all, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

export function readMessage(raw: string) {
  const { headers, body } = splitHead(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error('expected a multipart message');
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const { headers: partHeaders, body: encoded } = splitHead(part.replace(/^\r\n/, ''));
      const transfer = partHeaders.get('content-transfer-encoding')?.toLowerCase();
      const content =
        transfer === 'quoted-printable'
          ? decodeQuotedPrintable(encoded)
          : transfer === 'base64'
            ? Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8')
            : encoded;
      return { type: partHeaders.get('content-type') ?? '', content: content.replace(/\r\n$/, '') };
    });
  const part = (type: string) => {
    const found = parts.find((p) => p.type.startsWith(type));
    if (!found) throw new Error(`no ${type} part`);
    return found;
  };
  return {
    headers,
    header: (name: string) => decodeHeader(headers.get(name) ?? ''),
    text: part('text/plain'),
    html: part('text/html'),
  };
}
