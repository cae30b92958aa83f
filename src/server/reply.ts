import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { problemOf } from './problem.js';
import type { Queryable } from '../registry/db.js';
import type { IdempotencyLeases } from './idempotency-lease.js';
import { HttpProblem } from './problem.js';

/** What a handler answers; the wrapper sends it (and stores it for idempotent replays). */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Request) => Promise<Reply>;

function send(res: Response, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status);
  if (typeof reply.body === 'string') res.type(reply.contentType ?? 'text/plain').send(reply.body);
  else res.type(reply.contentType ?? 'application/json').send(JSON.stringify(reply.body));
}

/** Wraps a handler that returns a Reply. */
export function handle(handler: Handler) {
  return async (req: Request, res: Response): Promise<void> => {
    send(res, await handler(req));
  };
}

/**
 * Wraps a write: honours `Idempotency-Key` (per API key). The first request runs and its answer is
 * stored; a retry with the same key and the same request gets the stored answer
 * (`Idempotency-Replayed: true`); the same key with a different request is 422
 * IDEMPOTENCY_KEY_REUSED; a retry while the first is still running is 409 IDEMPOTENCY_IN_PROGRESS
 * (with Retry-After); a retry after the first died with its process (its lease ran out) runs again.
 * Answers of 5xx are not stored, so a retry runs again.
 */
export function idempotentWrite(db: Queryable, leases: IdempotencyLeases, handler: Handler) {
  return async (req: Request, res: Response, _next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (key === undefined) return send(res, await handler(req));
    if (key.length === 0 || key.length > 255)
      throw new HttpProblem('REQUEST_INVALID', 'Idempotency-Key must be 1 to 255 characters');
    const principal = req.principal?.keyId ?? 'anonymous';
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    if (!(await leases.claim(principal, key, requestHash))) {
      const { rows } = await db.query<{
        request_hash: string;
        status: number | null;
        body: string | null;
        content_type: string | null;
      }>('SELECT request_hash, status, body, content_type FROM server_idempotency WHERE principal = $1 AND key = $2', [
        principal,
        key,
      ]);
      const row = rows[0];
      if (row && row.request_hash !== requestHash)
        throw new HttpProblem('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was used for a different request`);
      if (!row || row.status === null) {
        if (!row || !(await leases.takeOver(principal, key, requestHash))) {
          const wait = await leases.secondsLeft(principal, key);
          res.setHeader('Retry-After', String(wait));
          throw new HttpProblem(
            'IDEMPOTENCY_IN_PROGRESS',
            `a request with Idempotency-Key ${key} is still being processed; retry in ${wait} s`,
          );
        }
      } else {
        res.setHeader('Idempotency-Replayed', 'true');
        res
          .status(row.status)
          .type(row.content_type ?? 'application/json')
          .send(row.body ?? '');
        return;
      }
    }
    try {
      let reply: Reply;
      try {
        reply = await handler(req);
      } catch (error) {
        const problem = problemOf(error);
        if (problem.status >= 500)
          await db.query('DELETE FROM server_idempotency WHERE principal = $1 AND key = $2', [principal, key]);
        else
          await store(db, principal, key, {
            status: problem.status,
            body: problem,
            contentType: 'application/problem+json',
          });
        throw error;
      }
      await store(db, principal, key, reply);
      send(res, reply);
    } finally {
      leases.release(principal, key);
    }
  };
}

async function store(db: Queryable, principal: string, key: string, reply: Reply): Promise<void> {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  await db.query(
    'UPDATE server_idempotency SET status = $3, body = $4, content_type = $5 WHERE principal = $1 AND key = $2',
    [principal, key, reply.status, body, reply.contentType ?? 'application/json'],
  );
}
