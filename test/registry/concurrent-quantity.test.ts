import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import type { Registry } from '../../src/registry/registry.js';
import type { BlockRef } from '../../src/registry/types.js';
import { createApiKey } from '../../src/server/auth.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { openLedger } from '../../src/server/ledger.js';
import { startServer } from '../../src/server/start.js';
import { ADMIN_KEY, example, startLedgerServer } from '../server/helpers.js';
import { describePostgres } from '../support/postgres.js';
import { dropSchema, freshSchema, openTestRegistry, seed, type TestRegistry } from './support/registry.js';

/**
 * One account making several retirements (or transfers) by quantity at the same time, each for
 * units it does hold: none may be refused for a conflict it did not have (a concurrent command
 * splitting the same block), and none may spend a serial twice.
 */

type Outcome = { ok: true; blocks: BlockRef[] } | { ok: false; code: string };

interface Tally {
  requested: number;
  applied: number;
  refusals: Record<string, number>;
  doubleSpends: number;
}

/**
 * Starts `n` commands a few milliseconds apart and waits for them all: a steady stream, as under
 * load, so that new commands keep arriving while earlier ones wait for a lock or retry. (Started at
 * the very same instant, the waiters wake one after another and a single re-read was enough to
 * hide the lost remainder; a stream made the old code refuse 3 to 11 retirements in 40.)
 */
async function race(n: number, attempt: (i: number) => Promise<Outcome>): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * STAGGER_MS));
      return attempt(i);
    }),
  );
}

function outcomeOf(promise: Promise<{ blocks: BlockRef[] }>): Promise<Outcome> {
  return promise.then(
    (result) => ({ ok: true as const, blocks: result.blocks }),
    (error: unknown) => ({
      ok: false as const,
      code: isUntpCreditsError(error) ? error.code : `UNEXPECTED: ${String(error)}`,
    }),
  );
}

/** Pairs of serials claimed by two successful commands (per prefix, sort and sweep). */
function overlaps(outcomes: readonly Outcome[]): number {
  const ranges = outcomes
    .flatMap((o) => (o.ok ? o.blocks : []))
    .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.start - b.start));
  let count = 0;
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1]!;
    const current = ranges[i]!;
    if (previous.prefix === current.prefix && current.start <= previous.end) count++;
  }
  return count;
}

function tally(outcomes: readonly Outcome[]): Tally {
  const refusals: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) refusals[o.code] = (refusals[o.code] ?? 0) + 1;
  return {
    requested: outcomes.length,
    applied: outcomes.filter((o) => o.ok).length,
    refusals,
    doubleSpends: overlaps(outcomes),
  };
}

/** `expected` of them can succeed; any refusal beyond that is spurious. */
function report(label: string, t: Tally, expected: number, spends = true): void {
  const refused = t.requested - t.applied;
  const spurious = Math.max(0, expected - t.applied);
  const codes = Object.entries(t.refusals)
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
  console.log(
    `${label}: ${t.requested} requested / ${t.applied} applied / ${spurious} spurious refusals / ${refused - spurious} expected refusals${codes ? ` (${codes})` : ''}${spends ? ` / ${t.doubleSpends} double spends` : ''}`,
  );
}

async function tradable(registry: Registry, account: string): Promise<number> {
  return (await registry.holdings(account)).filter((b) => b.state === 'tradable').reduce((n, b) => n + b.quantity, 0);
}

const N = 8;
const STAGGER_MS = 5;
const ROUNDS = 3;

/** The registry-level cases, run on each engine; `registries` are instances sharing one store. */
function ledgerCases(engine: string, open: () => Promise<TestRegistry[]>): void {
  let instances: TestRegistry[] = [];
  const pick = (i: number): Registry => instances[i % instances.length]!.registry;
  beforeAll(async () => {
    instances = await open();
  });
  afterAll(async () => {
    for (const instance of [...instances].reverse()) await instance.dispose();
  });

  it(`${N} concurrent retirements by quantity from one block, enough for all: all applied, disjoint, holding reduced exactly (${ROUNDS} rounds)`, async () => {
    const all: Outcome[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const s = await seed(pick(0), `enough${round}`, 100);
      const outcomes = await race(N, (i) =>
        outcomeOf(
          pick(i).retire({
            key: `enough${round}-r-${i}`,
            account: s.coop,
            quantity: 10,
            details: { beneficiary: `buyer ${i}` },
          }),
        ),
      );
      all.push(...outcomes);
      expect(tally(outcomes).doubleSpends).toBe(0);
      expect(outcomes.flatMap((o) => (o.ok ? o.blocks : [])).reduce((n, b) => n + b.quantity, 0)).toBe(
        10 * tally(outcomes).applied,
      );
      expect(await tradable(pick(0), s.coop)).toBe(100 - 10 * tally(outcomes).applied);
    }
    const t = tally(all);
    report(`concurrent quantity retirements (${engine}, ${ROUNDS} rounds of ${N})`, t, N * ROUNDS);
    expect(t.refusals).toEqual({});
    expect(t.applied).toBe(N * ROUNDS);
    const invariants = await pick(0).checkInvariants();
    expect(invariants.violations).toEqual([]);
  });

  it(`${N} concurrent retirements by quantity, enough for only 5: exactly 5 applied, the rest INSUFFICIENT_HOLDING, nothing spent twice`, async () => {
    const s = await seed(pick(0), 'short', 50);
    const outcomes = await race(N, (i) =>
      outcomeOf(
        pick(i).retire({ key: `short-r-${i}`, account: s.coop, quantity: 10, details: { beneficiary: `buyer ${i}` } }),
      ),
    );
    const t = tally(outcomes);
    report(`concurrent quantity retirements, holding for 5 (${engine})`, t, 5);
    expect(t.applied).toBe(5);
    expect(t.refusals).toEqual({ INSUFFICIENT_HOLDING: N - 5 });
    expect(t.doubleSpends).toBe(0);
    expect(await tradable(pick(0), s.coop)).toBe(0);
    expect((await pick(0).checkInvariants()).violations).toEqual([]);
  });

  it(`${N} concurrent retirements by quantity across two issuances: all applied`, async () => {
    const s = await seed(pick(0), 'two', 40);
    await pick(0).issue({
      key: 'two-i2',
      issuanceId: 'two-ISS-2',
      prefix: 'P-two-2',
      start: 1,
      end: 45,
      holder: s.coop,
      details: {},
    });
    const outcomes = await race(N, (i) =>
      outcomeOf(
        pick(i).retire({ key: `two-r-${i}`, account: s.coop, quantity: 10, details: { beneficiary: `buyer ${i}` } }),
      ),
    );
    const t = tally(outcomes);
    report(`concurrent quantity retirements over two issuances (${engine})`, t, N);
    expect(t.refusals).toEqual({});
    expect(t.doubleSpends).toBe(0);
    expect(await tradable(pick(0), s.coop)).toBe(5);
    expect((await pick(0).checkInvariants()).violations).toEqual([]);
  });

  it(`${N} concurrent transfers by quantity from one account, and retirements mixed in: all applied`, async () => {
    const s = await seed(pick(0), 'move', 120);
    const outcomes = await race(N, (i) =>
      i % 2 === 0
        ? outcomeOf(pick(i).transfer({ key: `move-t-${i}`, from: s.coop, to: s.oem, quantity: 15 }))
        : outcomeOf(
            pick(i).retire({
              key: `move-r-${i}`,
              account: s.coop,
              quantity: 15,
              details: { beneficiary: `buyer ${i}` },
            }),
          ),
    );
    const t = tally(outcomes);
    report(`concurrent quantity transfers and retirements (${engine})`, t, N);
    expect(t.refusals).toEqual({});
    expect(t.doubleSpends).toBe(0);
    expect(await tradable(pick(0), s.coop)).toBe(0);
    expect(await tradable(pick(0), s.oem)).toBe(15 * (N / 2));
    expect((await pick(0).checkInvariants()).violations).toEqual([]);
  });

  it(`transfers both ways between two accounts at once: no deadlock, totals conserved`, async () => {
    const s = await seed(pick(0), 'swap', 100);
    await pick(0).transfer({ key: 'swap-seed', from: s.coop, to: s.oem, quantity: 50 });
    const outcomes = await race(N, (i) =>
      i % 2 === 0
        ? outcomeOf(pick(i).transfer({ key: `swap-a-${i}`, from: s.coop, to: s.oem, quantity: 5 }))
        : outcomeOf(pick(i).transfer({ key: `swap-b-${i}`, from: s.oem, to: s.coop, quantity: 5 })),
    );
    const t = tally(outcomes);
    // Serials legitimately go back and forth here: no double-spend count.
    report(`concurrent transfers both ways (${engine})`, t, N, false);
    expect(t.refusals).toEqual({});
    expect((await tradable(pick(0), s.coop)) + (await tradable(pick(0), s.oem))).toBe(100);
    expect((await pick(0).checkInvariants()).violations).toEqual([]);
  });
}

describe('concurrent quantity commands from one account (PGlite)', () => {
  ledgerCases('PGlite', async () => [await openTestRegistry({ kind: 'pglite' })]);
});

describePostgres('concurrent quantity commands from one account (PostgreSQL)', (url) => {
  // Two registries with their own pools on one schema: two stateless processes sharing the database.
  const schema = freshSchema();
  ledgerCases('PostgreSQL', async () => {
    const first = await openTestRegistry({ kind: 'postgres', url }, { schema, poolSize: N + 2, dropOnDispose: true });
    const second = await openTestRegistry({ kind: 'postgres', url }, { schema, poolSize: N + 2, dropOnDispose: false });
    return [first, second];
  });
});

type Json = Record<string, any>;
interface HttpRegistry {
  post(path: string, body: unknown, key: string): Promise<Response>;
  get(path: string): Promise<Response>;
  keyFor(...scopes: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** The same through the HTTP API: `blocks: [{ issuanceId, quantity }]` retirements and `issuanceId` + `quantity` transfers. */
function httpCases(engine: string, start: () => Promise<HttpRegistry>): void {
  let server: HttpRegistry;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => server?.stop());

  async function outcomeOfResponse(response: Promise<Response>): Promise<Outcome> {
    const r = await response;
    const json = (await r.json()) as Json;
    if (r.status === 201) return { ok: true, blocks: json.blocks as BlockRef[] };
    return { ok: false, code: `${r.status} ${String(json.code)}` };
  }

  it(`${N} concurrent transfers, then ${N} retirements by blocks: [{ issuanceId, quantity }], then ${N} more than held`, async () => {
    const issuer = await server.keyFor('issuer');
    const created = async (path: string, body: unknown, key: string) => {
      const response = await server.post(path, body, key);
      expect(response.status, `${path}: ${(await response.clone().text()).slice(0, 300)}`).toBe(201);
      return (await response.json()) as Json;
    };
    await created('/registry/accounts', await example('account-coop'), ADMIN_KEY);
    await created('/registry/accounts', await example('account-buyer'), ADMIN_KEY);
    const issuance = await example('issuance');
    await created('/registry/issuances', issuance, issuer);
    const issuanceId = String(issuance.issuanceId);
    const coop = 'ACC-CD-0001';
    const buyer = 'ACC-DE-0042';
    const holding = async (account: string) =>
      Number(
        ((await (await server.get(`/registry/accounts/${account}/holdings`)).json()) as Json).totals?.tradable ?? 0,
      );

    // Transfers: 8 × 5 from the 120 issued.
    const transfers = await race(N, () =>
      outcomeOfResponse(
        server.post('/registry/transfers', { from: coop, to: buyer, issuanceId, quantity: 5 }, ADMIN_KEY),
      ),
    );
    const tt = tally(transfers);
    report(`concurrent quantity transfers over HTTP (${engine})`, tt, N);
    expect(tt.refusals).toEqual({});
    expect(tt.doubleSpends).toBe(0);
    expect(await holding(buyer)).toBe(5 * N);

    // Retirements by blocks: 8 × 10 from the coop's remaining 80.
    const body = await example('retirement-blocks');
    const retire = (account: string, i: number, tag: string) =>
      outcomeOfResponse(
        server.post(
          '/registry/retirements',
          { ...body, account, retirementId: `RET-${tag}-${i}`, blocks: [{ issuanceId, quantity: 10 }] },
          ADMIN_KEY,
        ),
      );
    const retired = await race(N, (i) => retire(coop, i, 'all'));
    const rt = tally(retired);
    report(`concurrent blocks retirements over HTTP (${engine})`, rt, N);
    expect(rt.refusals).toEqual({});
    expect(rt.doubleSpends).toBe(0);
    expect(await holding(coop)).toBe(120 - 5 * N - 10 * N);

    // The buyer holds 40: of 8 × 10, exactly 4 can be retired.
    const short = await race(N, (i) => retire(buyer, i, 'short'));
    const st = tally(short);
    report(`concurrent blocks retirements over HTTP, holding for 4 (${engine})`, st, 4);
    expect(st.applied).toBe(4);
    expect(st.refusals).toEqual({ '409 INSUFFICIENT_HOLDING': N - 4 });
    expect(tally([...retired, ...short]).doubleSpends).toBe(0);
    expect(await holding(buyer)).toBe(0);
    const invariants = (await (await server.get('/registry/invariants')).json()) as Json;
    expect(invariants.violations).toEqual([]);
  });
}

describe('concurrent quantity commands over HTTP (PGlite)', () => {
  httpCases('PGlite', async () => {
    const s = await startLedgerServer();
    return {
      post: (path, body, key) => s.post(path, body, { key }),
      get: (path) => s.get(path),
      keyFor: (...scopes) => s.keyFor(...scopes),
      stop: () => s.stop(),
    };
  });
});

describePostgres('concurrent quantity commands over HTTP (PostgreSQL)', (url) => {
  const schema = freshSchema();
  httpCases('PostgreSQL', async () => {
    const db = await openServerDatabase({ url, schema });
    const started = await startServer({
      db,
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'https://concurrent.example.test',
      adminKey: ADMIN_KEY,
      services: (identity, context) => openLedger(db, identity, context),
    });
    return {
      post: (path, body, key) =>
        fetch(`${started.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(body),
        }),
      get: (path) => fetch(`${started.url}${path}`),
      keyFor: async (...scopes) => (await createApiKey(db, scopes)).key,
      stop: async () => {
        await started.close();
        await db.close();
        await dropSchema(url, schema);
      },
    };
  });
});

describe('retire by blocks: [{ issuanceId, quantity } | { serialBlock }] (the selection the HTTP API passes through)', () => {
  let t: TestRegistry;
  beforeAll(async () => {
    t = await openTestRegistry({ kind: 'pglite' });
  });
  afterAll(async () => t?.dispose());

  async function refusal(promise: Promise<unknown>): Promise<{ code: string; path?: string }> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isUntpCreditsError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
    return { code: error.code, ...(error.path !== undefined ? { path: error.path } : {}) };
  }

  it('takes explicit serial blocks exactly and quantities from the lowest serials left, per issuance', async () => {
    const s = await seed(t.registry, 'mix', 50);
    await t.registry.issue({
      key: 'mix-i2',
      issuanceId: 'mix-ISS-2',
      prefix: 'P-mix-2',
      start: 1,
      end: 30,
      holder: s.coop,
      details: {},
    });
    const result = await t.registry.retire({
      key: 'mix-r',
      account: s.coop,
      details: {},
      blocks: [
        { issuanceId: s.issuanceId, quantity: 5 },
        { serialBlock: { prefix: s.prefix, start: 3, end: 4 } },
        { issuanceId: 'mix-ISS-2', quantity: 7 },
        { issuanceId: s.issuanceId, quantity: 2 },
      ],
    });
    expect(result.quantity).toBe(16);
    expect(result.blocks.map(({ prefix, start, end }) => ({ prefix, start, end }))).toEqual([
      { prefix: s.prefix, start: 1, end: 9 },
      { prefix: 'P-mix-2', start: 1, end: 7 },
    ]);
    // The same key and body replays the stored result (the body names what to take, not which serials).
    expect(
      (
        await t.registry.retire({
          key: 'mix-r',
          account: s.coop,
          details: {},
          blocks: [
            { issuanceId: s.issuanceId, quantity: 5 },
            { serialBlock: { prefix: s.prefix, start: 3, end: 4 } },
            { issuanceId: 'mix-ISS-2', quantity: 7 },
            { issuanceId: s.issuanceId, quantity: 2 },
          ],
        })
      ).credentialId,
    ).toBe(result.credentialId);
    expect((await t.registry.checkInvariants()).violations).toEqual([]);
  });

  it('refuses bad entries naming the field', async () => {
    const s = await seed(t.registry, 'bad', 20);
    const retire = (key: string, extra: Record<string, unknown>) =>
      t.registry.retire({ key, account: s.coop, details: {}, ...extra } as Parameters<Registry['retire']>[0]);
    expect(await refusal(retire('b1', { blocks: [] }))).toEqual({ code: 'BLOCKS_REQUIRED', path: '/blocks' });
    expect(await refusal(retire('b2', { blocks: [{ issuanceId: s.issuanceId, quantity: 0 }] }))).toEqual({
      code: 'QUANTITY_NOT_POSITIVE',
      path: '/blocks/0/quantity',
    });
    expect(
      await refusal(retire('b3', { blocks: [{ issuanceId: s.issuanceId, quantity: 1 }, { quantity: 1 }] })),
    ).toEqual({ code: 'ISSUANCE_REQUIRED', path: '/blocks/1/issuanceId' });
    expect(await refusal(retire('b4', { blocks: ['x'] }))).toEqual({
      code: 'BLOCK_SELECTOR_INVALID',
      path: '/blocks/0',
    });
    expect(await refusal(retire('b5', { blocks: [{ issuanceId: s.issuanceId, quantity: 21 }] }))).toEqual({
      code: 'INSUFFICIENT_HOLDING',
      path: '/blocks/0/quantity',
    });
    expect(
      await refusal(
        retire('b6', {
          blocks: [{ serialBlock: { prefix: s.prefix, start: 1, end: 5 } }, { issuanceId: s.issuanceId, quantity: 16 }],
        }),
      ),
    ).toEqual({ code: 'INSUFFICIENT_HOLDING', path: '/blocks/1/quantity' });
    expect(
      await refusal(
        retire('b7', {
          blocks: [
            { serialBlock: { prefix: s.prefix, start: 1, end: 5 } },
            { serialBlock: { prefix: s.prefix, start: 5, end: 6 } },
          ],
        }),
      ),
    ).toEqual({ code: 'BLOCKS_OVERLAP', path: '/blocks/1/serialBlock' });
    expect(
      await refusal(retire('b8', { blocks: [{ serialBlock: { prefix: s.prefix, start: 15, end: 25 } }] })),
    ).toMatchObject({ code: 'RANGE_NOT_HELD', path: '/blocks/0/serialBlock' });
    expect(await refusal(retire('b9', { quantity: 1, blocks: [{ issuanceId: s.issuanceId, quantity: 1 }] }))).toEqual({
      code: 'SELECTION_AMBIGUOUS',
      path: '/quantity',
    });
    expect(await tradable(t.registry, s.coop)).toBe(20);
  });
});
