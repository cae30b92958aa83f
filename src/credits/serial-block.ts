import { InvalidInputError } from '../errors.js';

/**
 * Serial-block arithmetic for credits: pure, no I/O, shared by the credential builders and the
 * registry ledger. A block is an inclusive range of integer serials inside one issuance's
 * namespace (`prefix`). Serials are non-negative integers no greater than 2^53 − 1 so that they
 * survive JSON and JavaScript numbers unchanged; all intermediate arithmetic (lengths, sums of
 * quantities) is done in bigint so it cannot silently lose precision.
 */

/** The largest serial (and quantity) a block may carry: 2^53 − 1. */
export const MAX_SERIAL = Number.MAX_SAFE_INTEGER;

/** An inclusive range of serials. */
export interface SerialRange {
  start: number;
  end: number;
}

/** A block of credits as carried in credentials: inclusive `start`..`end`, `quantity = end − start + 1`. */
export interface SerialBlock extends SerialRange {
  /** The issuance's serial namespace, e.g. "RCC-CD-LU-2026Q1". */
  prefix: string;
  quantity: number;
}

const MAX = BigInt(MAX_SERIAL);

function serialAt(value: unknown, path: string, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n || value > MAX)
      throw new InvalidInputError('SERIAL_OUT_OF_RANGE', `${what} ${value} is outside 0..2^53−1`, path);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) {
    throw new InvalidInputError('SERIAL_NOT_INTEGER', `${what} must be an integer, got ${JSON.stringify(value)}`, path);
  }
  // Beyond 2^53 − 1 a JSON number no longer names one integer, so such serials are refused.
  if (value < 0 || value > MAX_SERIAL)
    throw new InvalidInputError('SERIAL_OUT_OF_RANGE', `${what} ${value} is outside 0..2^53−1`, path);
  return BigInt(value);
}

/**
 * The number of serials in an inclusive range, as a bigint (end − start + 1 can reach 2^53).
 * Throws SERIAL_RANGE_INVERTED when end < start.
 *
 * @example
 *   rangeLength({ start: 1, end: 120 }); // 120n
 */
export function rangeLength(range: SerialRange, path = ''): bigint {
  const start = serialAt(range.start, `${path}/start`, 'start');
  const end = serialAt(range.end, `${path}/end`, 'end');
  if (end < start)
    throw new InvalidInputError('SERIAL_RANGE_INVERTED', `end ${end} is before start ${start}`, `${path}/end`);
  return end - start + 1n;
}

/**
 * Checks a block and returns it unchanged: integer serials within 0..2^53 − 1, end ≥ start,
 * a positive integer quantity equal to end − start + 1, a non-empty prefix. `path` is the JSON
 * pointer of the block in the caller's input, used in error paths.
 *
 * Codes: SERIAL_NOT_INTEGER, SERIAL_OUT_OF_RANGE, SERIAL_RANGE_INVERTED, QUANTITY_NOT_POSITIVE,
 * QUANTITY_MISMATCH, SERIAL_PREFIX_INVALID.
 *
 * @example
 *   checkSerialBlock({ prefix: 'RCC-CD-LU-2026Q1', start: 1, end: 120, quantity: 120 }, '/serialBlock');
 */
export function checkSerialBlock(block: SerialBlock, path = ''): SerialBlock {
  if (typeof block !== 'object' || block === null) {
    throw new InvalidInputError(
      'SERIAL_BLOCK_INVALID',
      'a serial block must be an object { prefix, start, end, quantity }',
      path,
    );
  }
  if (typeof block.prefix !== 'string' || block.prefix.trim() === '') {
    throw new InvalidInputError(
      'SERIAL_PREFIX_INVALID',
      'a serial block needs a non-empty prefix (the issuance namespace)',
      `${path}/prefix`,
    );
  }
  const quantity = block.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
    throw new InvalidInputError(
      'QUANTITY_NOT_POSITIVE',
      `quantity must be a positive integer, got ${JSON.stringify(quantity)}`,
      `${path}/quantity`,
    );
  }
  if (quantity <= 0)
    throw new InvalidInputError(
      'QUANTITY_NOT_POSITIVE',
      `quantity must be positive, got ${quantity}`,
      `${path}/quantity`,
    );
  if (quantity > MAX_SERIAL)
    throw new InvalidInputError('SERIAL_OUT_OF_RANGE', `quantity ${quantity} exceeds 2^53−1`, `${path}/quantity`);
  const length = rangeLength(block, path);
  if (length !== BigInt(quantity)) {
    throw new InvalidInputError(
      'QUANTITY_MISMATCH',
      `quantity ${quantity} ≠ end − start + 1 = ${length}`,
      `${path}/quantity`,
    );
  }
  return block;
}

/**
 * Makes a checked block from a prefix and an inclusive range, computing the quantity.
 *
 * @example
 *   makeBlock('RCC-CD-LU-2026Q1', 41, 65); // { prefix, start: 41, end: 65, quantity: 25 }
 */
export function makeBlock(prefix: string, start: number, end: number): SerialBlock {
  const length = rangeLength({ start, end });
  if (length > MAX)
    throw new InvalidInputError('SERIAL_OUT_OF_RANGE', `a block of ${length} serials exceeds 2^53−1`, '/quantity');
  return checkSerialBlock({ prefix, start, end, quantity: Number(length) });
}

/** The quantity of a block as a number (checked). */
export function blockQuantity(block: SerialBlock): number {
  return checkSerialBlock(block).quantity;
}

/**
 * True when `inner` lies entirely within `outer` (same prefix when both are blocks).
 *
 * @example
 *   contains(makeBlock('P', 1, 120), { start: 41, end: 65 }); // true
 */
export function contains(outer: SerialRange | SerialBlock, inner: SerialRange | SerialBlock): boolean {
  if (!samePrefix(outer, inner)) return false;
  rangeLength(outer);
  rangeLength(inner);
  return BigInt(inner.start) >= BigInt(outer.start) && BigInt(inner.end) <= BigInt(outer.end);
}

/** True when the two ranges share at least one serial (same prefix when both are blocks). */
export function overlaps(a: SerialRange | SerialBlock, b: SerialRange | SerialBlock): boolean {
  if (!samePrefix(a, b)) return false;
  rangeLength(a);
  rangeLength(b);
  return BigInt(a.start) <= BigInt(b.end) && BigInt(b.start) <= BigInt(a.end);
}

/** The serials two ranges share, or undefined when they are disjoint. */
export function intersection(a: SerialBlock, b: SerialRange): SerialBlock | undefined {
  if (!overlaps(a, b)) return undefined;
  return makeBlock(a.prefix, Math.max(a.start, b.start), Math.min(a.end, b.end));
}

function samePrefix(a: SerialRange | SerialBlock, b: SerialRange | SerialBlock): boolean {
  const pa = (a as Partial<SerialBlock>).prefix;
  const pb = (b as Partial<SerialBlock>).prefix;
  return pa === undefined || pb === undefined || pa === pb;
}

/**
 * Splits the first `quantity` serials off a block: returns `[taken, rest]`, `rest` undefined when
 * the whole block is taken. Totals are conserved exactly (taken.quantity + rest.quantity = block.quantity).
 * Codes: QUANTITY_NOT_POSITIVE, QUANTITY_EXCEEDS_BLOCK.
 *
 * @example
 *   splitBlock(makeBlock('P', 1, 120), 40); // [{ start: 1, end: 40, … }, { start: 41, end: 120, … }]
 */
export function splitBlock(block: SerialBlock, quantity: number): [SerialBlock, SerialBlock | undefined] {
  checkSerialBlock(block);
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new InvalidInputError(
      'QUANTITY_NOT_POSITIVE',
      `the quantity to split off must be a positive integer, got ${quantity}`,
      '/quantity',
    );
  }
  if (quantity > block.quantity) {
    throw new InvalidInputError(
      'QUANTITY_EXCEEDS_BLOCK',
      `cannot take ${quantity} from a block of ${block.quantity}`,
      '/quantity',
    );
  }
  const takenEnd = BigInt(block.start) + BigInt(quantity) - 1n;
  const taken = makeBlock(block.prefix, block.start, Number(takenEnd));
  if (quantity === block.quantity) return [taken, undefined];
  return [taken, makeBlock(block.prefix, Number(takenEnd + 1n), block.end)];
}

/**
 * Removes `range` from `block` and returns the parts before and after it. The range must lie
 * within the block (RANGE_OUTSIDE_BLOCK otherwise).
 *
 * @example
 *   carve(makeBlock('P', 1, 120), { start: 41, end: 65 });
 *   // { before: P 1–40, taken: P 41–65, after: P 66–120 }
 */
export function carve(
  block: SerialBlock,
  range: SerialRange,
): { before?: SerialBlock; taken: SerialBlock; after?: SerialBlock } {
  checkSerialBlock(block);
  if (!contains(block, range)) {
    throw new InvalidInputError(
      'RANGE_OUTSIDE_BLOCK',
      `${range.start}–${range.end} is not within ${block.prefix} ${block.start}–${block.end}`,
    );
  }
  const result: { before?: SerialBlock; taken: SerialBlock; after?: SerialBlock } = {
    taken: makeBlock(block.prefix, range.start, range.end),
  };
  if (range.start > block.start) result.before = makeBlock(block.prefix, block.start, range.start - 1);
  if (range.end < block.end) result.after = makeBlock(block.prefix, range.end + 1, block.end);
  return result;
}

/**
 * The total quantity of several blocks, as a bigint (no overflow however many blocks).
 *
 * @example
 *   totalQuantity([makeBlock('P', 1, 40), makeBlock('Q', 5, 9)]); // 45n
 */
export function totalQuantity(blocks: readonly SerialBlock[]): bigint {
  let total = 0n;
  for (const block of blocks) total += rangeLength(checkSerialBlock(block));
  return total;
}

/**
 * The sum of block quantities as an exact JSON number: added in bigint, and refused with
 * TOTAL_OUT_OF_RANGE (naming `path`) when it would pass 2^53 − 1, where a JSON number stops naming
 * one integer. A registry keeps all it has issued below that ceiling, so its totals never reach it.
 *
 * @example
 *   sumQuantities([{ quantity: 40 }, { quantity: 25 }]); // 65
 */
export function sumQuantities(blocks: Iterable<{ quantity: number }>, path = ''): number {
  let total = 0n;
  for (const block of blocks) {
    if (!Number.isSafeInteger(block.quantity) || block.quantity < 0)
      throw new InvalidInputError(
        'SERIAL_NOT_INTEGER',
        `a quantity must be a non-negative integer within 2^53−1, got ${JSON.stringify(block.quantity)}`,
        path,
      );
    total += BigInt(block.quantity);
  }
  return checkedTotal(total, path);
}

/** A bigint total as a JSON number, or TOTAL_OUT_OF_RANGE when it passes 2^53 − 1. */
export function checkedTotal(total: bigint, path = ''): number {
  if (total > MAX)
    throw new InvalidInputError(
      'TOTAL_OUT_OF_RANGE',
      `a total of ${total} units passes 2^53−1, beyond which a JSON number no longer names one integer`,
      path,
    );
  return Number(total);
}

/**
 * Throws BLOCKS_OVERLAP when any two blocks of the same prefix share a serial (a unit may be
 * listed only once in a statement or ledger).
 */
export function assertDisjoint(blocks: readonly SerialBlock[], path = ''): void {
  const sorted = blocks
    .map((block, index) => ({ block, index }))
    .sort((a, b) =>
      a.block.prefix < b.block.prefix ? -1 : a.block.prefix > b.block.prefix ? 1 : a.block.start - b.block.start,
    );
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && overlaps(previous.block, current.block)) {
      throw new InvalidInputError(
        'BLOCKS_OVERLAP',
        `blocks ${previous.block.prefix} ${previous.block.start}–${previous.block.end} and ${current.block.start}–${current.block.end} overlap`,
        `${path}/${current.index}`,
      );
    }
  }
}

/**
 * A human-readable serial range, e.g. "RCC-CD-LU-2026Q1-000041…000065".
 *
 * @example
 *   formatBlock(makeBlock('RCC-CD-LU-2026Q1', 41, 65)); // 'RCC-CD-LU-2026Q1-000041…RCC-CD-LU-2026Q1-000065'
 */
export function formatBlock(block: SerialBlock, width = 6): string {
  const serial = (n: number) => `${block.prefix}-${String(n).padStart(width, '0')}`;
  return block.start === block.end ? serial(block.start) : `${serial(block.start)}…${serial(block.end)}`;
}
