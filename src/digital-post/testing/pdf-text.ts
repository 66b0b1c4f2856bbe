import { inflateSync } from 'node:zlib';

/**
 * What a PDF made by pdfkit says, for tests: its text (the hex strings of its TJ operators in
 * every content stream, inflated if compressed, read as WinAnsi ≈ Latin-1) and its info and
 * catalogue entries. Not a PDF parser: enough to see that a letter says what it should.
 */
export function readPdf(pdf: Buffer) {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  const stream = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let match = stream.exec(raw); match; match = stream.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    const body = pdf.subarray(start, end);
    streams.push(/FlateDecode/.test(match[1]) ? inflateSafe(body) : body.toString('latin1'));
  }
  const text = streams
    .flatMap((s) => [...s.matchAll(/\[([^\]]*)\] TJ/g)])
    .map((tj) =>
      [...tj[1].matchAll(/<([0-9a-f]*)>/g)]
        .map((hex) => Buffer.from(hex[1], 'hex').toString('latin1'))
        .join(''),
    )
    .join('\n');
  return {
    header: raw.slice(0, 8),
    text,
    title: entry(raw, 'Title'),
    author: entry(raw, 'Author'),
    lang: entry(raw, 'Lang'),
    tagged: /\/Marked true/.test(resolve(raw, /\/MarkInfo\s+(\d+ 0 R|<<[^>]*>>)/.exec(raw)?.[1])),
    structure: [...raw.matchAll(/\/S \/(\w+)/g)].map((m) => m[1]),
  };
}

function inflateSafe(body: Buffer): string {
  try {
    return inflateSync(body).toString('latin1');
  } catch {
    return '';
  }
}

/** A dictionary entry's value, following an indirect reference (`13 0 R`) to its object. */
function entry(raw: string, key: string): string | undefined {
  const value = new RegExp(`/${key}\\s+(\\d+ 0 R|\\((?:\\\\.|[^\\\\)])*\\)|<[0-9a-fA-F]+>)`).exec(
    raw,
  )?.[1];
  return pdfString(resolve(raw, value));
}

function resolve(raw: string, value: string | undefined): string {
  const ref = value === undefined ? null : /^(\d+) 0 R$/.exec(value);
  if (!ref) return value ?? '';
  const start = raw.indexOf(`\n${ref[1]} 0 obj\n`);
  if (start < 0) return '';
  const body = raw.slice(start + `\n${ref[1]} 0 obj\n`.length);
  return body.slice(0, body.indexOf('\nendobj')).trim();
}

/** A PDF string: `(literal)` or `<hex>`, UTF-16BE when it starts with the FEFF mark. */
function pdfString(value: string): string | undefined {
  let bytes: Buffer;
  if (value.startsWith('(')) {
    const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
    const text = value
      .slice(1, -1)
      .replace(/\\([0-7]{1,3}|.)/g, (_, c: string) =>
        /^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : (escapes[c] ?? c),
      );
    bytes = Buffer.from(text, 'latin1');
  } else if (value.startsWith('<')) bytes = Buffer.from(value.slice(1, -1), 'hex');
  else return undefined;
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}
