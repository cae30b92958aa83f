import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertDisjoint,
  carve,
  checkSerialBlock,
  contains,
  formatBlock,
  intersection,
  makeBlock,
  MAX_SERIAL,
  overlaps,
  rangeLength,
  splitBlock,
  sumQuantities,
  totalQuantity,
  type SerialBlock,
} from '../../src/credits/serial-block.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('checkSerialBlock', () => {
  it('accepts an inclusive block whose quantity is end − start + 1', () => {
    expect(checkSerialBlock({ prefix: 'P', start: 1, end: 120, quantity: 120 })).toEqual({
      prefix: 'P',
      start: 1,
      end: 120,
      quantity: 120,
    });
    expect(checkSerialBlock({ prefix: 'P', start: 7, end: 7, quantity: 1 }).quantity).toBe(1);
    expect(checkSerialBlock({ prefix: 'P', start: MAX_SERIAL - 9, end: MAX_SERIAL, quantity: 10 }).end).toBe(
      MAX_SERIAL,
    );
  });

  it('refuses each kind of bad block with its code and the field pointer', () => {
    const cases: Array<[SerialBlock, string, string]> = [
      [{ prefix: 'P', start: 1, end: 0, quantity: 0 }, 'QUANTITY_NOT_POSITIVE', '/b/quantity'],
      [{ prefix: 'P', start: 1, end: 5, quantity: -5 }, 'QUANTITY_NOT_POSITIVE', '/b/quantity'],
      [{ prefix: 'P', start: 10, end: 5, quantity: 1 }, 'SERIAL_RANGE_INVERTED', '/b/end'],
      [{ prefix: 'P', start: 1, end: 10, quantity: 9 }, 'QUANTITY_MISMATCH', '/b/quantity'],
      [{ prefix: 'P', start: 1, end: MAX_SERIAL + 1, quantity: 1 }, 'SERIAL_OUT_OF_RANGE', '/b/end'],
      [{ prefix: 'P', start: 2 ** 60, end: 2 ** 60, quantity: 1 }, 'SERIAL_OUT_OF_RANGE', '/b/start'],
      [{ prefix: 'P', start: -1, end: 3, quantity: 5 }, 'SERIAL_OUT_OF_RANGE', '/b/start'],
      [{ prefix: 'P', start: 1.5, end: 3, quantity: 2 }, 'SERIAL_NOT_INTEGER', '/b/start'],
      [{ prefix: '', start: 1, end: 3, quantity: 3 }, 'SERIAL_PREFIX_INVALID', '/b/prefix'],
    ];
    for (const [block, code, path] of cases) {
      let caught: { code?: string; path?: string } | undefined;
      try {
        checkSerialBlock(block, '/b');
      } catch (error) {
        caught = error as { code?: string; path?: string };
      }
      expect(caught?.code, JSON.stringify(block)).toBe(code);
      expect(caught?.path, JSON.stringify(block)).toBe(path);
    }
  });

  it('computes lengths in bigint: the full range 0..2^53−1 has 2^53 serials, which no block may carry', () => {
    expect(rangeLength({ start: 0, end: MAX_SERIAL })).toBe(2n ** 53n);
    expect(codeOf(() => makeBlock('P', 0, MAX_SERIAL))).toBe('SERIAL_OUT_OF_RANGE');
    expect(makeBlock('P', 1, MAX_SERIAL).quantity).toBe(MAX_SERIAL);
  });
});

describe('contains / overlaps / intersection', () => {
  const block = makeBlock('RCC', 1, 120);
  it('contains ranges inside the block, of the same prefix only', () => {
    expect(contains(block, { start: 41, end: 65 })).toBe(true);
    expect(contains(block, { start: 1, end: 120 })).toBe(true);
    expect(contains(block, { start: 100, end: 121 })).toBe(false);
    expect(contains(block, { start: 0, end: 5 })).toBe(false);
    expect(contains(block, makeBlock('OTHER', 41, 65))).toBe(false);
  });
  it('overlaps when a serial is shared', () => {
    expect(overlaps(makeBlock('P', 1, 40), makeBlock('P', 40, 60))).toBe(true);
    expect(overlaps(makeBlock('P', 1, 40), makeBlock('P', 41, 60))).toBe(false);
    expect(overlaps(makeBlock('P', 1, 40), makeBlock('Q', 1, 40))).toBe(false);
    expect(intersection(makeBlock('P', 1, 40), { start: 30, end: 90 })).toEqual(makeBlock('P', 30, 40));
    expect(intersection(makeBlock('P', 1, 40), { start: 41, end: 90 })).toBeUndefined();
  });
});

describe('split, carve, totals', () => {
  it('splits the first n serials off and conserves the total', () => {
    const [taken, rest] = splitBlock(makeBlock('P', 1, 120), 40);
    expect(taken).toEqual(makeBlock('P', 1, 40));
    expect(rest).toEqual(makeBlock('P', 41, 120));
    expect(splitBlock(makeBlock('P', 1, 120), 120)).toEqual([makeBlock('P', 1, 120), undefined]);
    expect(codeOf(() => splitBlock(makeBlock('P', 1, 120), 121))).toBe('QUANTITY_EXCEEDS_BLOCK');
    expect(codeOf(() => splitBlock(makeBlock('P', 1, 120), 0))).toBe('QUANTITY_NOT_POSITIVE');
  });

  it('carves a range out of a block, leaving the parts before and after', () => {
    expect(carve(makeBlock('P', 1, 120), { start: 41, end: 65 })).toEqual({
      before: makeBlock('P', 1, 40),
      taken: makeBlock('P', 41, 65),
      after: makeBlock('P', 66, 120),
    });
    expect(carve(makeBlock('P', 1, 120), { start: 1, end: 120 })).toEqual({ taken: makeBlock('P', 1, 120) });
    expect(codeOf(() => carve(makeBlock('P', 1, 120), { start: 100, end: 130 }))).toBe('RANGE_OUTSIDE_BLOCK');
  });

  it('conserves quantities for any split and carve (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_SERIAL - 1 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (start, length, a, b) => {
          const end = Math.min(start + length - 1, MAX_SERIAL);
          const block = makeBlock('P', start, end);
          const n = (a % block.quantity) + 1;
          const [taken, rest] = splitBlock(block, n);
          expect(totalQuantity(rest ? [taken, rest] : [taken])).toBe(BigInt(block.quantity));
          const from = start + (a % block.quantity);
          const to = Math.min(from + (b % block.quantity), end);
          const parts = carve(block, { start: from, end: to });
          const pieces = [parts.before, parts.taken, parts.after].filter((p): p is SerialBlock => p !== undefined);
          expect(totalQuantity(pieces)).toBe(BigInt(block.quantity));
          assertDisjoint(pieces);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('totals many large blocks without precision loss and detects overlaps', () => {
    const big = makeBlock('P', 1, MAX_SERIAL);
    expect(totalQuantity([big, makeBlock('Q', 1, MAX_SERIAL)])).toBe(2n * BigInt(MAX_SERIAL));
    expect(codeOf(() => assertDisjoint([makeBlock('P', 1, 10), makeBlock('Q', 5, 6), makeBlock('P', 10, 12)]))).toBe(
      'BLOCKS_OVERLAP',
    );
    expect(() => assertDisjoint([makeBlock('P', 1, 10), makeBlock('P', 11, 12)])).not.toThrow();
  });

  it('sums quantities exactly, or refuses with TOTAL_OUT_OF_RANGE: never a rounded JSON number (property)', () => {
    const quantity = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 20 }),
      fc.integer({ min: MAX_SERIAL - 2 ** 20, max: MAX_SERIAL }),
      fc.integer({ min: 0, max: MAX_SERIAL }),
    );
    let exact = 0;
    fc.assert(
      fc.property(fc.array(quantity, { maxLength: 6 }), (quantities) => {
        const blocks = quantities.map((q) => ({ quantity: q }));
        const total = quantities.reduce((sum, q) => sum + BigInt(q), 0n);
        if (total <= BigInt(MAX_SERIAL)) {
          exact++;
          expect(BigInt(sumQuantities(blocks))).toBe(total);
        } else expect(codeOf(() => sumQuantities(blocks))).toBe('TOTAL_OUT_OF_RANGE');
      }),
      { numRuns: 500 },
    );
    expect(exact).toBeGreaterThan(50); // both branches were exercised
    // Two blocks of 2^53 − 1 plus 40: no double is 18014398509482022, so a float sum is off.
    expect(BigInt(MAX_SERIAL + MAX_SERIAL + 40)).not.toBe(18014398509482022n);
    expect(codeOf(() => sumQuantities([{ quantity: MAX_SERIAL }, { quantity: MAX_SERIAL }, { quantity: 40 }]))).toBe(
      'TOTAL_OUT_OF_RANGE',
    );
    expect(sumQuantities([{ quantity: MAX_SERIAL - 40 }, { quantity: 40 }])).toBe(MAX_SERIAL);
    expect(codeOf(() => sumQuantities([{ quantity: 1.5 }]))).toBe('SERIAL_NOT_INTEGER');
  });

  it('formats a block for statements', () => {
    expect(formatBlock(makeBlock('RCC-CD-LU-1532-2026Q1', 41, 65))).toBe(
      'RCC-CD-LU-1532-2026Q1-000041…RCC-CD-LU-1532-2026Q1-000065',
    );
    expect(formatBlock(makeBlock('P', 7, 7), 3)).toBe('P-007');
  });
});
