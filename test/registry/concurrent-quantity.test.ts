import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import type { Registry } from '../../src/registry/registry.js';
import type { BlockRef } from '../../src/registry/types.js';
import { describePostgres } from '../support/postgres.js';
import { freshSchema, openTestRegistry, seed, type TestRegistry } from './support/registry.js';

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
  return Promise.all(Array.from({ length: n }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, i * STAGGER_MS));
    return attempt(i);
  }));
}

function outcomeOf(promise: Promise<{ blocks: BlockRef[] }>): Promise<Outcome> {
  return promise.then(
    (result) => ({ ok: true as const, blocks: result.blocks }),
    (error: unknown) => ({ ok: false as const, code: isUntpCreditsError(error) ? error.code : `UNEXPECTED: ${String(error)}` }),
  );
}

/** Pairs of serials claimed by two successful commands (per prefix, sort and sweep). */
function overlaps(outcomes: readonly Outcome[]): number {
  const ranges = outcomes.flatMap((o) => (o.ok ? o.blocks : [])).sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.start - b.start));
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
  return { requested: outcomes.length, applied: outcomes.filter((o) => o.ok).length, refusals, doubleSpends: overlaps(outcomes) };
}

/** `expected` of them can succeed; any refusal beyond that is spurious. */
function report(label: string, t: Tally, expected: number, spends = true): void {
  const refused = t.requested - t.applied;
  const spurious = Math.max(0, expected - t.applied);
  const codes = Object.entries(t.refusals).map(([code, n]) => `${n} ${code}`).join(', ');
  console.log(`${label}: ${t.requested} requested / ${t.applied} applied / ${spurious} spurious refusals / ${refused - spurious} expected refusals${codes ? ` (${codes})` : ''}${spends ? ` / ${t.doubleSpends} double spends` : ''}`);
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
        outcomeOf(pick(i).retire({ key: `enough${round}-r-${i}`, account: s.coop, quantity: 10, details: { beneficiary: `buyer ${i}` } })));
      all.push(...outcomes);
      expect(tally(outcomes).doubleSpends).toBe(0);
      expect(outcomes.flatMap((o) => (o.ok ? o.blocks : [])).reduce((n, b) => n + b.quantity, 0)).toBe(10 * tally(outcomes).applied);
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
      outcomeOf(pick(i).retire({ key: `short-r-${i}`, account: s.coop, quantity: 10, details: { beneficiary: `buyer ${i}` } })));
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
    await pick(0).issue({ key: 'two-i2', issuanceId: 'two-ISS-2', prefix: 'P-two-2', start: 1, end: 45, holder: s.coop, details: {} });
    const outcomes = await race(N, (i) =>
      outcomeOf(pick(i).retire({ key: `two-r-${i}`, account: s.coop, quantity: 10, details: { beneficiary: `buyer ${i}` } })));
    const t = tally(outcomes);
    report(`concurrent quantity retirements over two issuances (${engine})`, t, N);
    expect(t.refusals).toEqual({});
    expect(t.doubleSpends).toBe(0);
    expect(await tradable(pick(0), s.coop)).toBe(5);
    expect((await pick(0).checkInvariants()).violations).toEqual([]);
  });

  it(`${N} concurrent transfers by quantity from one account, and retirements mixed in: all applied`, async () => {
    const s = await seed(pick(0), 'move', 120);
    const outcomes = await race(N, (i) => (i % 2 === 0
      ? outcomeOf(pick(i).transfer({ key: `move-t-${i}`, from: s.coop, to: s.oem, quantity: 15 }))
      : outcomeOf(pick(i).retire({ key: `move-r-${i}`, account: s.coop, quantity: 15, details: { beneficiary: `buyer ${i}` } }))));
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
    const outcomes = await race(N, (i) => (i % 2 === 0
      ? outcomeOf(pick(i).transfer({ key: `swap-a-${i}`, from: s.coop, to: s.oem, quantity: 5 }))
      : outcomeOf(pick(i).transfer({ key: `swap-b-${i}`, from: s.oem, to: s.coop, quantity: 5 }))));
    const t = tally(outcomes);
    // Serials legitimately go back and forth here: no double-spend count.
    report(`concurrent transfers both ways (${engine})`, t, N, false);
    expect(t.refusals).toEqual({});
    expect(await tradable(pick(0), s.coop) + await tradable(pick(0), s.oem)).toBe(100);
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
