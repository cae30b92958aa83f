import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '../../src/server/body.js';
import type { Database } from '../../src/registry/db.js';
import { IdempotencyLeases } from '../../src/server/idempotency-lease.js';
import { sendProblem } from '../../src/server/problem.js';
import { idempotentWrite } from '../../src/server/reply.js';
import { openTestDatabase } from '../support/database.js';

/**
 * Idempotency leases: an in-progress write whose process died must not answer 409 for ever, and a
 * live one must not run twice, however long it takes. The write here counts its runs.
 */

const LEASE_MS = 400;
let db: Database;
let server: Server;
let port = 0;
let runs = 0;
let delayMs = 0;

beforeAll(async () => {
  db = await openTestDatabase();
  const app = express();
  const leases = new IdempotencyLeases(db, LEASE_MS);
  app.post(
    '/write',
    jsonBody(),
    idempotentWrite(db, leases, async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { status: 201, body: { run: runs } };
    }),
  );
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => sendProblem(res, error));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.close();
});

const write = async (key: string, body: unknown = { n: 1 }) => {
  const response = await fetch(`http://127.0.0.1:${port}/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    replayed: response.headers.get('idempotency-replayed'),
    body: (await response.json()) as Record<string, unknown>,
  };
};
const hashOf = async (key: string) =>
  (await db.query<{ request_hash: string }>('SELECT request_hash FROM server_idempotency WHERE key = $1', [key]))
    .rows[0]!.request_hash;

describe('idempotency leases', () => {
  it('a key left in progress by a dead process (lease run out) runs again on retry, once', async () => {
    delayMs = 0;
    // The same request recorded by a process that died before answering: take a real row, then
    // make it look like that (another owner, no answer, lease in the past).
    await write('crashed');
    const hash = await hashOf('crashed');
    await db.query(
      `UPDATE server_idempotency SET status = NULL, body = NULL, owner = 'dead-process', lease_until = now() - interval '1 second' WHERE key = 'crashed'`,
    );
    const before = runs;
    const retry = await write('crashed');
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBeNull();
    expect(runs).toBe(before + 1);
    const again = await write('crashed');
    expect(again).toMatchObject({ status: 201, replayed: 'true', body: retry.body });
    expect(runs).toBe(before + 1);
    expect(await hashOf('crashed')).toBe(hash);
  });

  it('a key whose owner still holds the lease answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After', async () => {
    await write('live');
    await db.query(
      `UPDATE server_idempotency SET status = NULL, body = NULL, owner = 'other-live-process', lease_until = now() + interval '30 seconds' WHERE key = 'live'`,
    );
    const before = runs;
    const retry = await write('live');
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(Number(retry.retryAfter)).toBeGreaterThanOrEqual(29);
    expect(Number(retry.retryAfter)).toBeLessThanOrEqual(30);
    expect(runs).toBe(before);
  });

  it('rows written before leases existed expire one lease after they were created', async () => {
    await write('legacy');
    await db.query(
      `UPDATE server_idempotency SET status = NULL, body = NULL, owner = NULL, lease_until = NULL, created_at = now() - interval '1 hour' WHERE key = 'legacy'`,
    );
    expect((await write('legacy')).status).toBe(201);
  });

  it('a write running longer than its lease keeps it (renewed): retries meanwhile get 409, it runs once', async () => {
    delayMs = LEASE_MS * 4;
    const before = runs;
    const first = write('slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await write('slow')).status);
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
    }
    expect((await first).status).toBe(201);
    expect(runs).toBe(before + 1);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(4); // the rest replay 201 once it finished
    expect(statuses.every((s) => s === 409 || s === 201)).toBe(true);
    delayMs = 0;
  });

  it('the same key with another request is still 422, even when the first was abandoned', async () => {
    await write('reused', { n: 1 });
    await db.query(
      `UPDATE server_idempotency SET status = NULL, body = NULL, owner = 'dead-process', lease_until = now() - interval '1 second' WHERE key = 'reused'`,
    );
    const other = await write('reused', { n: 2 });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a lease shorter than 100 ms, naming the option', () => {
    expect(() => new IdempotencyLeases(db, 10)).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID', path: '/idempotencyLeaseMs' }),
    );
  });
});
