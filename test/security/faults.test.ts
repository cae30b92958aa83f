import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import { openDatabase, type Database, type Queryable } from '../../src/registry/db.js';
import { Registry } from '../../src/registry/registry.js';
import {
  BASE_URL,
  ISSUER,
  dropSchema,
  freshSchema,
  openTestRegistry,
  testBuilders,
  testSecurer,
  type TestRegistry,
} from '../registry/support/registry.js';
import { describePostgres } from '../support/postgres.js';
import { ACCOUNT_A, ACCOUNT_B, commandOf, run, seedFault, SUPPLY, type FaultCommand } from './support/fault-load.js';
import { HTTP_A, HTTP_B, httpCommandOf, seedCommands, send } from './support/http-load.js';
import { bundleFaultWorker, outcomeOf, startWorker, type Outcome, type Worker } from './support/processes.js';
import { ADMIN_KEY, rawRequest } from './support/server.js';

/**
 * Registry faults. Builds on the ledger's own process tests (test/registry/processes.test.ts:
 * SIGKILL of a sequential writer on PostgreSQL, a second process refused by the PGlite lock while
 * idle, SIGTERM of an idle holder) and adds what they do not cover:
 * - PostgreSQL: SIGKILL in the middle of a concurrent load of *conflicting* writes (overlapping
 *   ranges, opposite transfers), then a restart: invariant holds, every acknowledged write present
 *   with its event, no idempotency key applied twice, no serial retired twice; replays move nothing.
 * - PostgreSQL: the connection cut (pg_terminate_backend) at each point of a command's transaction:
 *   an error, nothing committed, and the same command then applies exactly once.
 * - The server (`untp-credits serve`'s own parts) under conflicting HTTP writes with Idempotency-Key:
 *   SIGKILL mid-load on PostgreSQL, SIGTERM mid-load on PGlite (runServe itself), then a restart:
 *   invariant, acknowledged writes replayed from storage, no key applied twice, no double spend; a
 *   second process refused by the PGlite lock while the load runs.
 */

let workerFile = '';
beforeAll(async () => {
  workerFile = await bundleFaultWorker();
}, 120_000);
afterAll(() => {
  if (workerFile) rmSync(workerFile, { force: true });
});

const tagOf = (): string => `f${randomBytes(3).toString('hex')}`;

function commandOfKey(key: string): FaultCommand {
  const [tag, lane, i] = key.split('-') as [string, string, string];
  return commandOf(tag, Number(lane), Number(i));
}

/** Retired ranges of acknowledged retirements must be pairwise disjoint. */
function doubleSpends(outcome: Outcome): number {
  const ranges = [...outcome.acked.values()].flatMap((a) => a.retired).sort((x, y) => x.start - y.start);
  let overlaps = 0;
  for (let i = 1; i < ranges.length; i++) if (ranges[i]!.start <= ranges[i - 1]!.end) overlaps++;
  return overlaps;
}

async function keysAppliedTwice(db: Queryable, tag: string): Promise<number> {
  const { rows } = await db.query<{ k: string }>(
    'SELECT idempotency_key AS k FROM events WHERE idempotency_key LIKE $1 GROUP BY idempotency_key HAVING count(*) > 1',
    [`${tag}-%`],
  );
  return rows.length;
}

async function storedSeqs(db: Queryable, tag: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ key: string; event_seq: unknown }>(
    'SELECT key, event_seq FROM idempotency WHERE key LIKE $1',
    [`${tag}-%`],
  );
  return new Map(rows.map((r) => [r.key, Number(r.event_seq)]));
}

async function held(registry: Registry): Promise<number> {
  let total = 0;
  for (const account of [ACCOUNT_A, ACCOUNT_B])
    total += (await registry.holdings(account)).reduce((n, b) => n + b.quantity, 0);
  return total;
}

describePostgres('registry faults on PostgreSQL', (url) => {
  it('SIGKILL in the middle of conflicting concurrent writes, then restart: nothing acknowledged lost, nothing applied twice', async () => {
    const schema = freshSchema();
    const tag = tagOf();
    const setup = await openTestRegistry({ kind: 'postgres', url }, { schema, dropOnDispose: false });
    let restarted: TestRegistry | undefined;
    try {
      await seedFault(setup.registry, tag);
      await setup.dispose();
      const worker = startWorker(workerFile, ['pg-load', url, schema, tag, '6']);
      await worker.waitFor(
        (lines) =>
          lines.filter((l) => l.startsWith('ACK ')).length >= 60 && lines.some((l) => l.startsWith('REFUSED ')),
        120_000,
      );
      worker.child.kill('SIGKILL');
      expect((await worker.exited).signal).toBe('SIGKILL');
      const outcome = outcomeOf(worker.lines);
      const inFlight = [...outcome.started].filter((k) => !outcome.acked.has(k) && !outcome.refused.has(k));

      // Restart: a new process with a new pool on the same database.
      restarted = await openTestRegistry({ kind: 'postgres', url }, { schema });
      const { registry, db } = restarted;
      const report = await registry.checkInvariants();
      expect(report.violations).toEqual([]);
      const stored = await storedSeqs(db, tag);
      const lost = [...outcome.acked].filter(([key, ack]) => stored.get(key) !== ack.seq);
      expect(lost).toEqual([]);
      // Only commands in flight at the kill may have committed without an acknowledgement.
      const committedUnacked = [...stored.keys()].filter(
        (k) => !outcome.acked.has(k) && !k.includes('-open-') && !k.endsWith('-issue'),
      );
      expect(
        committedUnacked.every((k) => inFlight.includes(k)),
        committedUnacked.join(','),
      ).toBe(true);
      for (const key of outcome.refused.keys()) expect(stored.has(key), `refused ${key} left a record`).toBe(false);
      expect(await keysAppliedTwice(db, tag)).toBe(0);
      expect(doubleSpends(outcome)).toBe(0);
      const conflicts = [...outcome.refused.values()];
      expect(conflicts.length).toBeGreaterThan(0);
      expect(
        conflicts.filter(
          (c) => !/INSUFFICIENT_|BLOCK_|_NOT_HELD|SERIALS_|NOTHING_TO_MOVE|_CONFLICT|CONCURRENT_MODIFICATION/.test(c),
        ),
      ).toEqual([]);

      // Replays after the restart: acknowledged keys return their stored event and move nothing.
      const before = { held: await held(registry), retired: report.totals.retired };
      for (const [key, ack] of outcome.acked) expect((await run(registry, commandOfKey(key))).seq, key).toBe(ack.seq);
      expect(await held(registry)).toBe(before.held);
      expect((await registry.checkInvariants()).totals.retired).toBe(before.retired);
      // Commands that were in flight: applied at most once, whether they had committed or not.
      for (const key of inFlight)
        await run(registry, commandOfKey(key)).catch((e: unknown) => {
          if (!isUntpCreditsError(e)) throw e;
        });
      expect(await keysAppliedTwice(db, tag)).toBe(0);
      const final = await registry.checkInvariants();
      expect(final.violations).toEqual([]);
      expect(Number(final.totals.issued)).toBe(SUPPLY);
      console.log(
        `registry faults (PostgreSQL, SIGKILL mid-load): conflicting writes ${outcome.started.size} (acknowledged ${outcome.acked.size}, refused as conflicts ${conflicts.length}, in flight at the kill ${inFlight.length}) / double spends ${doubleSpends(outcome)} / acknowledged writes lost ${lost.length} / idempotency keys applied twice 0 / replays that moved units 0`,
      );
    } finally {
      await restarted?.dispose();
    }
  }, 240_000);

  it('a connection cut mid-transaction (pg_terminate_backend) returns an error and commits nothing; the retry applies once', async () => {
    const tag = tagOf();
    const t = await openTestRegistry({ kind: 'postgres', url });
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    // pg-pool removes its 'error' listener from a checked-out client, so a connection that dies
    // under a transaction must find PostgresDatabase.transaction's own listener, or the process
    // would crash on an unhandled 'error' event. Listen on every client here too and count the
    // errors nobody else was listening for.
    const pool = (t.db as unknown as { pool: pg.Pool & { _clients?: pg.PoolClient[] } }).pool;
    let clientErrors = 0;
    let unhandledClientErrors = 0;
    const watch = (client: pg.PoolClient): void => {
      client.on('error', () => {
        clientErrors++;
        if (client.listenerCount('error') <= 1) unhandledClientErrors++;
      });
    };
    for (const client of pool._clients ?? []) watch(client);
    pool.on('connect', watch);
    try {
      await seedFault(t.registry, tag);
      // The registry's Database with a hook: at the n-th statement of the next transaction, a slow
      // statement is slipped in and the transaction's own backend is terminated from a second
      // connection while that statement runs — the connection dies under a live transaction.
      let cutAt = 0;
      let cuts = 0;
      let statements = 0;
      const cut = async (tx: Queryable): Promise<void> => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        const sleeping = tx.query('SELECT pg_sleep(10)').then(
          () => undefined,
          (e: unknown) => e,
        );
        for (let i = 0; i < 100; i++) {
          const { rows: active } = await killer.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
            [pid],
          );
          if (Number(active[0]?.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        cuts++;
        const error = await sleeping;
        if (error === undefined) throw new Error('the statement survived pg_terminate_backend');
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the driver gave
        throw error; // as the command's own statement would have: the connection is gone
      };
      const hooked: Database = {
        engine: t.db.engine,
        location: t.db.location,
        query: (sql, params) => t.db.query(sql, params),
        exec: (sql) => t.db.exec(sql),
        close: () => t.db.close(),
        transaction: (fn) =>
          t.db.transaction(async (tx) => {
            let n = 0;
            return fn({
              exec: (sql) => tx.exec(sql),
              query: async (sql, params) => {
                n++;
                statements = Math.max(statements, n);
                if (n === cutAt) {
                  cutAt = 0;
                  await cut(tx);
                }
                return tx.query(sql, params);
              },
            });
          }),
      };
      const registry = await Registry.open({
        db: hooked,
        migrate: false,
        baseUrl: BASE_URL,
        issuer: ISSUER,
        secure: testSecurer(),
        builders: testBuilders,
      });
      const commands: FaultCommand[] = [
        { kind: 'retire-range', key: `${tag}-cut-r`, account: ACCOUNT_A, start: 101, end: 110 },
        { kind: 'transfer', key: `${tag}-cut-t`, from: ACCOUNT_A, to: ACCOUNT_B, quantity: 7 },
        { kind: 'retire-quantity', key: `${tag}-cut-q`, account: ACCOUNT_A, quantity: 3 },
      ];
      // How many statements each command runs (a dry run of a twin command), so every point is cut.
      statements = 0;
      await run(registry, { kind: 'retire-range', key: `${tag}-probe`, account: ACCOUNT_A, start: 2001, end: 2002 });
      const perCommand = statements;
      expect(perCommand).toBeGreaterThan(2);
      let cutsTried = 0;
      let attemptNo = 0;
      for (const command of commands) {
        for (const point of [1, 2, Math.ceil(perCommand / 2), perCommand - 1]) {
          attemptNo++;
          const attempt: FaultCommand =
            command.kind === 'retire-range'
              ? { ...command, key: `${command.key}-${point}`, start: 100 + attemptNo * 10, end: 109 + attemptNo * 10 }
              : { ...command, key: `${command.key}-${point}` };
          const events = Number((await t.db.query<{ n: unknown }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
          const holdingsBefore = JSON.stringify([
            await t.registry.holdings(ACCOUNT_A),
            await t.registry.holdings(ACCOUNT_B),
          ]);
          cutAt = point;
          const cutsBefore = cuts;
          const error = await run(registry, attempt).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (cuts === cutsBefore) {
            cutAt = 0;
            continue;
          } // this command ran fewer statements
          cutsTried++;
          expect(error, `${attempt.key}: cut at statement ${point} must fail`).toBeDefined();
          expect(
            Number((await t.db.query<{ n: unknown }>('SELECT count(*) AS n FROM events')).rows[0]!.n),
            attempt.key,
          ).toBe(events);
          expect((await storedSeqs(t.db, attempt.key)).size, attempt.key).toBe(0);
          expect(
            JSON.stringify([await t.registry.holdings(ACCOUNT_A), await t.registry.holdings(ACCOUNT_B)]),
            attempt.key,
          ).toBe(holdingsBefore);
          // The same command again (new connection from the pool): applied once.
          const applied = await run(registry, attempt);
          expect((await run(registry, attempt)).seq).toBe(applied.seq);
          expect(await keysAppliedTwice(t.db, attempt.key)).toBe(0);
        }
      }
      expect(cutsTried).toBeGreaterThanOrEqual(6);
      expect((await t.registry.checkInvariants()).violations).toEqual([]);
      console.log(
        `registry faults (PostgreSQL, connection cut mid-transaction): cuts ${cutsTried} / commits after a cut 0 / retries applied twice 0 / client 'error' events ${clientErrors}, with no listener but the test's ${unhandledClientErrors}`,
      );
      // Each cut kills a live connection; the registry must be listening when its client reports it.
      expect(clientErrors).toBeGreaterThan(0);
      expect(unhandledClientErrors).toBe(0);
    } finally {
      await killer.end();
      await t.dispose();
    }
  }, 180_000);
});

interface HttpOutcome {
  acked: Map<string, { seq: number; retired: Array<{ start: number; end: number }> }>;
  refused: Map<string, number>;
  inFlight: Set<string>;
  other: string[];
}

/** Runs `lanes` concurrent lanes of conflicting writes until `stop()` says so; then waits for them. */
async function httpLoad(
  port: number,
  tag: string,
  lanes: number,
  stop: (o: HttpOutcome) => boolean,
): Promise<HttpOutcome> {
  const outcome: HttpOutcome = { acked: new Map(), refused: new Map(), inFlight: new Set(), other: [] };
  let halted = false;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; i < 2000 && !halted; i++) {
        const command = httpCommandOf(tag, lane, i);
        outcome.inFlight.add(command.key);
        let response: Awaited<ReturnType<typeof send>>;
        try {
          response = await send(port, ADMIN_KEY, command);
        } catch {
          halted = true; // the server is gone: this request's fate is unknown
          return;
        }
        outcome.inFlight.delete(command.key);
        if (response.status === 201) {
          const body = JSON.parse(response.body) as {
            event?: { seq?: number };
            blocks?: Array<{ start: number; end: number }>;
          };
          outcome.acked.set(command.key, {
            seq: Number(body.event?.seq),
            retired: command.path.endsWith('retirements')
              ? (body.blocks ?? []).map((b) => ({ start: b.start, end: b.end }))
              : [],
          });
        } else if (response.status === 409 || response.status === 422)
          outcome.refused.set(command.key, response.status);
        else outcome.other.push(`${command.key}: ${response.status} ${response.body.slice(0, 200)}`);
        if (stop(outcome)) halted = true;
      }
    }),
  );
  return outcome;
}

function httpDoubleSpends(outcome: HttpOutcome): number {
  const ranges = [...outcome.acked.values()].flatMap((a) => a.retired).sort((x, y) => x.start - y.start);
  let overlaps = 0;
  for (let i = 1; i < ranges.length; i++) if (ranges[i]!.start <= ranges[i - 1]!.end) overlaps++;
  return overlaps;
}

async function listening(worker: Worker): Promise<number> {
  await worker.waitFor((lines) => lines.some((l) => l.startsWith('LISTENING ')), 150_000);
  return Number(worker.lines.find((l) => l.startsWith('LISTENING '))!.split(' ')[1]);
}

async function seedOverHttp(port: number, tag: string): Promise<void> {
  for (const command of seedCommands(tag)) {
    const response = await send(port, ADMIN_KEY, command);
    expect(response.status, `${command.key}: ${response.body.slice(0, 300)}`).toBe(201);
  }
}

/** After a restart: every acknowledged write replays from storage, in-flight ones settle, nothing moves twice. */
async function checkAfterRestart(
  port: number,
  tag: string,
  outcome: HttpOutcome,
): Promise<{ replayed: number; stuck: string[]; waited: number }> {
  const invariants = await rawRequest(port, 'GET', '/registry/invariants');
  expect(invariants.status).toBe(200);
  expect((JSON.parse(invariants.body) as { violations: unknown[] }).violations).toEqual([]);
  const holdings = async () =>
    (await Promise.all([HTTP_A, HTTP_B].map((a) => rawRequest(port, 'GET', `/registry/accounts/${a}/holdings`))))
      .map((r) => r.body)
      .join('|');
  const before = await holdings();
  let replayed = 0;
  for (const [key, ack] of outcome.acked) {
    const [, lane, i] = key.split('-');
    const response = await send(port, ADMIN_KEY, httpCommandOf(tag, Number(lane), Number(i)));
    expect(response.status, `${key}: ${response.body.slice(0, 200)}`).toBe(201);
    expect(response.headers['idempotency-replayed'], key).toBe('true');
    expect(Number((JSON.parse(response.body) as { event: { seq: number } }).event.seq), key).toBe(ack.seq);
    replayed++;
  }
  expect(await holdings()).toBe(before);
  // Requests in flight at the crash: retried with their key they settle (applied or refused). Their
  // idempotency rows are still "in progress" under the dead process's lease: 409 with Retry-After
  // until it runs out (3 s in the worker), then the retry runs the command again, applied once.
  const stuck: string[] = [];
  let waited = 0;
  for (const key of outcome.inFlight) {
    const [, lane, i] = key.split('-');
    let response = await send(port, ADMIN_KEY, httpCommandOf(tag, Number(lane), Number(i)));
    if (response.status === 409 && response.body.includes('IDEMPOTENCY_IN_PROGRESS')) waited++;
    for (
      let attempt = 0;
      attempt < 5 && response.status === 409 && response.body.includes('IDEMPOTENCY_IN_PROGRESS');
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers['retry-after'] ?? 1) * 1000));
      response = await send(port, ADMIN_KEY, httpCommandOf(tag, Number(lane), Number(i)));
    }
    if (response.status === 409 && response.body.includes('IDEMPOTENCY_IN_PROGRESS')) stuck.push(key);
    else expect([201, 409, 422], `${key}: ${response.body.slice(0, 200)}`).toContain(response.status);
  }
  const after = await rawRequest(port, 'GET', '/registry/invariants');
  expect((JSON.parse(after.body) as { violations: unknown[] }).violations).toEqual([]);
  return { replayed, stuck, waited };
}

describePostgres('server faults on PostgreSQL', (url) => {
  it('SIGKILL of the server in the middle of conflicting HTTP writes, then restart: acknowledged writes present, none applied twice', async () => {
    const schema = freshSchema();
    const tag = tagOf();
    const env = { ...process.env, UNTP_CREDITS_ADMIN_KEY: ADMIN_KEY };
    const first = startWorker(workerFile, ['serve-pg', url, schema], env);
    let second: Worker | undefined;
    const client = new pg.Client({ connectionString: url });
    try {
      const port = await listening(first);
      await seedOverHttp(port, tag);
      // SIGKILL as soon as the threshold is reached, while the other lanes have requests in flight.
      const load = httpLoad(port, tag, 6, (o) => {
        if (o.acked.size >= 40 && o.refused.size > 0) first.child.kill('SIGKILL');
        return false; // keep sending until the server is gone
      });
      const outcome = await load;
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(outcome.other).toEqual([]);
      expect(outcome.acked.size).toBeGreaterThanOrEqual(40);

      second = startWorker(workerFile, ['serve-pg', url, schema], env);
      const port2 = await listening(second);
      const { replayed, stuck, waited } = await checkAfterRestart(port2, tag, outcome);
      await client.connect();
      const { rows } = await client.query(
        `SELECT idempotency_key FROM ${schema}.events WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1`,
      );
      expect(rows).toEqual([]);
      expect(httpDoubleSpends(outcome)).toBe(0);
      expect(stuck, 'in-flight keys still IDEMPOTENCY_IN_PROGRESS after the dead process lease').toEqual([]);
      console.log(
        `server faults (PostgreSQL, SIGKILL mid-load over HTTP): conflicting writes ${outcome.acked.size + outcome.refused.size + outcome.inFlight.size} (acknowledged ${outcome.acked.size}, refused as conflicts ${outcome.refused.size}, in flight at the kill ${outcome.inFlight.size}) / double spends 0 / acknowledged writes lost 0 (${replayed} replayed from storage) / idempotency keys applied twice 0 / in-flight keys that waited for the dead process's lease ${waited}, stuck after it ${stuck.length}`,
      );
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
      await client.end().catch(() => undefined);
      await dropSchema(url, schema).catch(() => undefined);
    }
  }, 300_000);
});

describe('server faults on PGlite (untp-credits serve)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'untp-faults-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM in the middle of an HTTP load closes cleanly, a second process is refused meanwhile, and the data reopens intact', async () => {
    const dataDir = join(dir, 'registry');
    const tag = tagOf();
    const env = { ...process.env, UNTP_CREDITS_ADMIN_KEY: ADMIN_KEY, DATABASE_URL: '' };
    const first = startWorker(workerFile, ['serve-pglite', dataDir], env);
    let second: Worker | undefined;
    try {
      const port = await listening(first);
      await seedOverHttp(port, tag);
      let signalled = false;
      const outcome = await httpLoad(port, tag, 3, (o) => {
        if (!signalled && o.acked.size >= 20) {
          signalled = true;
          // A second process is refused by the lock while the load runs (the idle case is in
          // test/registry/processes.test.ts).
          void openDatabase({ dataDir })
            .then(
              (db) => db.close().then(() => 'opened'),
              (e: unknown) => (isUntpCreditsError(e) ? e.code : String(e)),
            )
            .then((r) => {
              lockResult = r;
            });
          first.child.kill('SIGTERM');
        }
        return false; // keep sending until the server is gone
      });
      const { code } = await first.exited;
      expect(code, first.stderr()).toBe(0);
      expect(first.lines).toContain('EXIT 0');
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
      expect(outcome.other.filter((o) => !/: 50[23] /.test(o))).toEqual([]);

      second = startWorker(workerFile, ['serve-pglite', dataDir], env);
      const port2 = await listening(second);
      const { replayed, stuck, waited } = await checkAfterRestart(port2, tag, outcome);
      expect(httpDoubleSpends(outcome)).toBe(0);
      expect(stuck).toEqual([]);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      expect(lockResult).toBe('REGISTRY_LOCKED');
      console.log(
        `server faults (PGlite, SIGTERM mid-load over HTTP): writes ${outcome.acked.size + outcome.refused.size + outcome.inFlight.size} (acknowledged ${outcome.acked.size}, refused ${outcome.refused.size}, cut by the shutdown ${outcome.inFlight.size}) / acknowledged writes lost 0 (${replayed} replayed) / double spends 0 / in-flight keys that waited for the lease ${waited}, stuck after it ${stuck.length} / second process refused by the lock / clean exit and reopen`,
      );
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  }, 400_000);
});

let lockResult = '';
