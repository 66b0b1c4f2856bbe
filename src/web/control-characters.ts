import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Control characters (C0, DEL and C1) no address ever needs. */
const IN_URL = /[\u0000-\u001f\u007f-\u009f]/;
/** In form and JSON text, tab and line breaks are text (a message to an officer); the rest are not. */
const IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Deeper than any form or API body of ours; a deeper one is refused before anything walks it again. */
const MAX_DEPTH = 16;

/** True when a parsed body holds a control character (in a key or a value) or nests too deep. */
export function bodyIsHostile(body: unknown): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (IN_TEXT.test(value)) return true;
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return true;
      for (const [key, item] of Object.entries(value)) {
        if (IN_TEXT.test(key)) return true;
        stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return false;
}

/** True when the address holds a control character or a malformed %-escape. */
export function urlIsHostile(req: Request): boolean {
  const [path, query = ''] = req.originalUrl.split('?', 2);
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    return true; // a malformed %-escape
  }
  if (IN_URL.test(decodedPath)) return true;
  for (const [key, value] of new URLSearchParams(query)) {
    if (IN_URL.test(key) || IN_URL.test(value)) return true;
  }
  return false;
}

/**
 * Refuses control characters at the edge, with a 400, before any session, database or log line
 * sees them: a NUL byte in a path or a field once reached SQLite through MikroORM's formatted SQL
 * and came back as a 500 with the input in the error.
 */
export function refuseControlCharacters(req: Request, _res: Response, next: NextFunction): void {
  if (urlIsHostile(req) || bodyIsHostile(req.body)) {
    next(new BadRequestException('controlCharacters'));
    return;
  }
  next();
}
