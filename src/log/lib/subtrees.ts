// Index arithmetic shared by the tree, the proofs and the tiles. A "stored hash" is the hash of a
// complete subtree: level ℓ, index i covers leaves [i·2^ℓ, (i+1)·2^ℓ). Every hash a proof needs is
// MTH of a range [start, end) that RFC 9162 splits at powers of two, and is the fold of the complete
// subtrees that tile that range from left to right.
import { logError } from './errors.js';
import { nodeHash } from '../hash.js';

export interface SubtreePosition {
  readonly level: number;
  readonly index: number;
}

/** Any source of complete-subtree hashes (an in-memory tree, hashes loaded from tiles, a database). */
export interface HashSource {
  /** The hash of the complete subtree at (level, index); throws when it is not held. */
  hashAt(level: number, index: number): Uint8Array;
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k with k < n ≤ 2k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The complete subtrees covering [start, end), left to right; start must be aligned to the range. */
export function completeSubtrees(start: number, end: number): SubtreePosition[] {
  const out: SubtreePosition[] = [];
  let at = start;
  while (at < end) {
    // The largest aligned block that starts at `at` and fits before `end`.
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/**
 * MTH(D[start:end]) from the hashes of its complete subtrees. Valid for the ranges RFC 9162 proofs
 * use (a complete subtree, or a right edge whose start is aligned to a power of two ≥ its length),
 * where the tree splits exactly along that decomposition: fold the hashes from the right.
 */
export function rangeHash(source: HashSource, start: number, end: number): Uint8Array {
  const parts = completeSubtrees(start, end);
  if (parts.length === 0) throw logError('LOG_RANGE_EMPTY', `the range [${start}, ${end}) holds no leaves`);
  let last = parts[parts.length - 1]!;
  let hash = source.hashAt(last.level, last.index);
  for (let i = parts.length - 2; i >= 0; i--) {
    last = parts[i]!;
    hash = nodeHash(source.hashAt(last.level, last.index), hash);
  }
  return hash;
}

export function assertTreeSize(size: number, what = 'tree size'): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw logError('LOG_TREE_SIZE_INVALID', `${what} must be a non-negative safe integer, got ${String(size)}`);
  }
}
