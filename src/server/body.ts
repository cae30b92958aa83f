import type { NextFunction, Request, Response } from 'express';
import { HttpProblem } from './problem.js';

/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deepest JSON nesting accepted (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/i;

/**
 * Nesting depth of JSON text, scanned before parsing so that deep input never reaches a recursive
 * walker. Stops counting once past `limit`.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Nesting depth of a parsed value, walked without recursion; stops once past `limit`. For values
 * that did not come through `jsonBody` (a JWS payload decoded during verification).
 */
export function valueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    const here = depth + 1;
    if (here > max) {
      max = here;
      if (max > limit) return max;
    }
    for (const child of Object.values(node as Record<string, unknown>))
      if (child !== null && typeof child === 'object') stack.push([child, here]);
  }
  return max;
}

/**
 * Reads a JSON body: at most 1 MB (413 BODY_TOO_LARGE), `application/json` or `application/*+json`
 * (415 CONTENT_TYPE_UNSUPPORTED), well-formed (400 JSON_MALFORMED), at most 64 levels deep
 * (400 JSON_TOO_DEEP). Sets `req.body`.
 */
export function jsonBody() {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const type = (req.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const declared = Number(req.get('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      throw new HttpProblem('BODY_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
    }
    if (!JSON_TYPE.test(type)) {
      req.resume();
      throw new HttpProblem('CONTENT_TYPE_UNSUPPORTED', `send application/json, not ${type || 'no content type'}`);
    }
    const text = await readText(req);
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
      throw new HttpProblem('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused`);
    try {
      req.body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new HttpProblem('JSON_MALFORMED', `the body is not JSON: ${(error as Error).message}`);
    }
    next();
  };
}

function readText(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        chunks.length = 0;
        reject(new HttpProblem('BODY_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        reject(new HttpProblem('REQUEST_INVALID', error.message));
      }
    });
  });
}

/** A JSON object body, or 400 REQUEST_INVALID. */
export function objectBody(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpProblem('REQUEST_INVALID', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}
