import { request } from 'node:http';
import type { Database } from '../../../src/registry/db.js';
import type { StartedServer, StartServerOptions } from '../../../src/server/start.js';
import { startLedgerServer, startTestServer } from '../../server/helpers.js';

export const ADMIN_KEY = 'security-admin-key-5f0c2f7e9a1b4d3c8e6f';

export interface SecurityServer extends StartedServer {
  db: Database;
  stop(): Promise<void>;
  keyFor(...scopes: string[]): Promise<string>;
}

/** The server (startServer → createApp) on 127.0.0.1:<ephemeral> over a fresh registry database, as the server tests start it. */
export function startSecurityServer(options: Partial<StartServerOptions> = {}): Promise<SecurityServer> {
  return startTestServer({ adminKey: ADMIN_KEY, ...options });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/**
 * One HTTP request to 127.0.0.1 with exact bytes (so bodies can be invalid UTF-8, oversized, or sent
 * chunked without a length). Resolves with the answer; a connection the server closes after
 * answering still yields that answer. Rejects after `timeoutMs`.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const body =
      options.body === undefined
        ? undefined
        : Buffer.isBuffer(options.body)
          ? options.body
          : Buffer.from(options.body, 'utf8');
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (body && !options.chunked) headers['content-length'] = String(body.length);
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Date.now() - started,
        });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 15_000} ms`));
    }, options.timeoutMs ?? 15_000);
    // The server may answer 413 and close before the whole body is written: that is the answer we want.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') {
        clearTimeout(timer);
        reject(e);
      }
    });
    if (body && options.chunked) {
      // Write in 64 KiB pieces, stopping if the server has already answered.
      let offset = 0;
      const pump = (): void => {
        while (offset < body.length && !req.destroyed) {
          const piece = body.subarray(offset, offset + 65_536);
          offset += piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!req.destroyed) req.end();
      };
      pump();
    } else req.end(body);
  });
}

export const json = (value: unknown): Record<string, string> => ({
  'content-type': 'application/json',
  ...(value as Record<string, string>),
});

/** The same server with the real ledger (src/server/ledger.ts) over an in-memory PGlite, as `serve` wires it. */
export function startLedgerSecurityServer(): Promise<SecurityServer> {
  return startLedgerServer({ adminKey: ADMIN_KEY });
}
