import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import type { BlockRef, BlockState } from '../../src/registry/types.js';
import { describePostgres } from '../support/postgres.js';
import { openTestRegistry, type Engine, type TestRegistry } from './support/registry.js';

// One operation of a random sequence; indices are reduced modulo what exists at run time.
type Op =
  | { kind: 'issue'; holder: number; size: number }
  | { kind: 'transfer' | 'retire'; from: number; to: number; quantity?: number; range?: [number, number] }
  | { kind: 'suspend' | 'unsuspend'; account: number; quantity?: number }
  | { kind: 'cancel' | 'correct'; issuance: number; quantity?: number }
  | { kind: 'amend' | 'invalidate'; retirement: number };

const account = fc.nat({ max: 2 });
const selection = fc.oneof(
  fc.record({ quantity: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    range: fc
      .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 6 }))
      .map(([s, l]) => [s, s + l] as [number, number]),
  }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      holder: account,
      size: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('transfer' as const, 'transfer' as const, 'retire' as const),
        account,
        fc.integer({ min: 1, max: 2 }),
        selection,
      )
      .map(([kind, from, shift, sel]) => ({ kind, from, to: (from + shift) % 3, ...sel })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('suspend' as const, 'unsuspend' as const),
        account,
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      )
      .map(([kind, acc, quantity]) => ({ kind, account: acc, ...(quantity ? { quantity } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('cancel' as const, 'correct' as const),
        fc.nat(),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
      )
      .map(([kind, issuance, quantity]) => ({ kind, issuance, ...(quantity ? { quantity } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('amend' as const, 'invalidate' as const), fc.nat())
      .map(([kind, retirement]) => ({ kind, retirement })),
  },
);

// Codes a random command may legitimately get; anything else fails the property.
const EXPECTED = new Set([
  'INSUFFICIENT_HOLDING',
  'RANGE_NOT_HELD',
  'BLOCK_RETIRED',
  'BLOCK_SUSPENDED',
  'BLOCK_CANCELLED',
  'BLOCK_INVALIDATED',
  'BLOCK_NOT_SUSPENDED',
  'NOTHING_TO_MOVE',
  'SAME_ACCOUNT',
  'RETIREMENT_INVALIDATED',
  'CORRECTION_SEVERAL_HOLDERS',
  'CORRECTION_NOT_CONTIGUOUS',
]);

interface Unit {
  issuanceId: string;
  holder: string;
  state: BlockState;
  retirement?: string;
}

function propertySuite(engine: () => Engine, numRuns: number) {
  let t: TestRegistry;
  beforeAll(async () => {
    t = await openTestRegistry(engine());
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('after every run: conservation, no overlap, credentials match, and each serial is where a per-serial model says', async () => {
    let run = 0;
    const succeeded = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(
            fc.array(
              fc.record({
                kind: fc.constant('issue' as const),
                holder: account,
                size: fc.integer({ min: 5, max: 30 }),
              }),
              { minLength: 1, maxLength: 2 },
            ),
            fc.array(op, { minLength: 5, maxLength: 25 }),
          )
          .map(([first, rest]): Op[] => [...first, ...rest]),
        async (ops) => {
          const { registry } = t;
          const tag = `r${run++}`;
          const prefix = `PB-${tag}`;
          const accounts = [0, 1, 2].map((i) => `${tag}-acc${i}`);
          for (const [i, id] of accounts.entries())
            await registry.openAccount({
              key: `${tag}-open-${i}`,
              accountId: id,
              holder: { id: `did:web:${id}.example`, name: id },
            });
          const model = new Map<number, Unit>();
          const issuances: string[] = [];
          const retirements: string[] = [];
          let cursor = 1;
          const mark = (blocks: BlockRef[], check: (u: Unit) => boolean, update: (u: Unit) => Unit) => {
            for (const b of blocks)
              for (let n = b.start; n <= b.end; n++) {
                const unit = model.get(n);
                expect(unit && check(unit), `serial ${n} was not in the expected state before the command`).toBe(true);
                model.set(n, update(unit!));
              }
          };
          for (const [i, o] of ops.entries()) {
            const key = `${tag}-op${i}`;
            try {
              switch (o.kind) {
                case 'issue': {
                  const id = `${tag}-ISS${issuances.length}`;
                  await registry.issue({
                    key,
                    issuanceId: id,
                    prefix,
                    start: cursor,
                    end: cursor + o.size - 1,
                    holder: accounts[o.holder]!,
                    details: {},
                  });
                  for (let n = cursor; n < cursor + o.size; n++)
                    model.set(n, { issuanceId: id, holder: accounts[o.holder]!, state: 'tradable' });
                  issuances.push(id);
                  cursor += o.size;
                  break;
                }
                case 'transfer':
                case 'retire': {
                  const from = accounts[o.from]!;
                  const sel = o.range
                    ? { ranges: [{ prefix, start: o.range[0], end: o.range[1] }] }
                    : { quantity: o.quantity! };
                  if (o.kind === 'transfer') {
                    const to = accounts[o.to]!;
                    const r = await registry.transfer({ key, from, to, ...sel });
                    mark(
                      r.blocks,
                      (u) => u.state === 'tradable' && u.holder === from,
                      (u) => ({ ...u, holder: to }),
                    );
                  } else {
                    const r = await registry.retire({ key, account: from, ...sel, details: { n: i } });
                    retirements.push(r.retirementId);
                    mark(
                      r.blocks,
                      (u) => u.state === 'tradable' && u.holder === from,
                      (u) => ({ ...u, state: 'retired', retirement: r.retirementId }),
                    );
                  }
                  break;
                }
                case 'suspend':
                case 'unsuspend': {
                  const acc = accounts[o.account]!;
                  const r = await registry[o.kind]({
                    key,
                    account: acc,
                    ...(o.quantity ? { quantity: o.quantity } : {}),
                    reason: 'dispute',
                  });
                  const [from, to]: BlockState[] =
                    o.kind === 'suspend' ? ['tradable', 'suspended'] : ['suspended', 'tradable'];
                  mark(
                    r.blocks,
                    (u) => u.state === from && u.holder === acc,
                    (u) => ({ ...u, state: to! }),
                  );
                  break;
                }
                case 'cancel':
                case 'correct': {
                  const issuanceId = issuances[o.issuance % Math.max(1, issuances.length)];
                  if (!issuanceId) break;
                  if (o.kind === 'cancel') {
                    const r = await registry.cancel({
                      key,
                      issuanceId,
                      ...(o.quantity ? { quantity: o.quantity } : {}),
                      reason: 'error',
                    });
                    mark(
                      r.blocks,
                      (u) => u.issuanceId === issuanceId && (u.state === 'tradable' || u.state === 'suspended'),
                      (u) => ({ ...u, state: 'cancelled' }),
                    );
                  } else {
                    const newId = `${tag}-ISS${issuances.length}`;
                    const r = await registry.correct({
                      key,
                      issuanceId,
                      newIssuanceId: newId,
                      details: { fixed: true },
                      reason: 'typo',
                    });
                    issuances.push(newId);
                    mark(
                      [r.cancelled],
                      (u) => u.issuanceId === issuanceId && u.state === 'tradable',
                      (u) => ({ ...u, issuanceId: newId }),
                    );
                  }
                  break;
                }
                case 'amend':
                case 'invalidate': {
                  const retirementId = retirements[o.retirement % Math.max(1, retirements.length)];
                  if (!retirementId) break;
                  if (o.kind === 'amend') {
                    const r = await registry.amendRetirement({
                      key,
                      retirementId,
                      details: { amended: true },
                      reason: 'typo',
                    });
                    retirements[retirements.indexOf(retirementId)] = r.retirementId;
                    for (const [n, u] of model)
                      if (u.retirement === retirementId) model.set(n, { ...u, retirement: r.retirementId });
                  } else {
                    await registry.invalidateRetirement({ key, retirementId, reason: 'withdrawn' });
                    for (const [n, u] of model)
                      if (u.retirement === retirementId) model.set(n, { ...u, state: 'invalidated' });
                  }
                  break;
                }
              }
              succeeded.set(o.kind, (succeeded.get(o.kind) ?? 0) + 1);
            } catch (error) {
              if (!isUntpCreditsError(error) || !EXPECTED.has(error.code)) throw error;
              if (error.code === 'INSUFFICIENT_HOLDING' && (o.kind === 'transfer' || o.kind === 'retire')) {
                const held = [...model.values()].filter(
                  (u) => u.holder === accounts[o.from] && u.state === 'tradable',
                ).length;
                expect(held).toBeLessThan(o.quantity!);
              }
            }
          }
          for (const [n, unit] of model) {
            const found = await registry.lookupSerial(prefix, n);
            expect({
              n,
              issuanceId: found?.block.issuanceId,
              holder: found?.holder,
              state: found?.state,
              retirement: found?.retirement?.retirementId,
            }).toEqual({
              n,
              issuanceId: unit.issuanceId,
              holder: unit.holder,
              state: unit.state,
              retirement: unit.retirement,
            });
          }
          const report = await registry.checkInvariants();
          expect(report.violations).toEqual([]);
        },
      ),
      { seed: 20261123, numRuns, endOnFailure: true },
    );
    // The sequences must exercise every command, not only its refusals.
    for (const kind of [
      'issue',
      'transfer',
      'retire',
      'suspend',
      'unsuspend',
      'cancel',
      'correct',
      'amend',
      'invalidate',
    ]) {
      expect(succeeded.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
}

describe('random sequences of ledger operations keep the invariant (PGlite, fast-check, seeded)', () =>
  propertySuite(() => ({ kind: 'pglite' }), 25));
describePostgres('random sequences of ledger operations keep the invariant (PostgreSQL, fast-check, seeded)', (url) =>
  propertySuite(() => ({ kind: 'postgres', url }), 12),
);
