// RFC 9162 §2.1.4.1: the consistency proof between the tree of `oldSize` leaves and of `newSize`.
import { logError } from './lib/errors.js';
import { assertTreeSize, rangeHash, splitPoint, type HashSource } from './lib/subtrees.js';

type Range = readonly [start: number, end: number];

/** The leaf ranges whose hashes make up PROOF(m, D[n]), in proof order. Empty when m is 0 or n. */
export function consistencyProofRanges(oldSize: number, newSize: number): Range[] {
  assertTreeSize(oldSize, 'old tree size');
  assertTreeSize(newSize, 'new tree size');
  if (oldSize > newSize) {
    throw logError('LOG_TREE_SIZE_INVALID', `old tree size ${oldSize} is larger than new tree size ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const path: Range[] = [];
  // SUBPROOF(m, D[start:end], whole): iterate down; entries are collected root first.
  let m = oldSize;
  let start = 0;
  let end = newSize;
  let whole = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      path.push([start + k, end]);
      end = start + k;
    } else {
      path.push([start, start + k]);
      start += k;
      m -= k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true (the old tree is a complete left part) it is empty.
  if (!whole) path.push([start, end]);
  return path.reverse();
}

export function consistencyProof(oldSize: number, newSize: number, source: HashSource): Uint8Array[] {
  return consistencyProofRanges(oldSize, newSize).map(([start, end]) => rangeHash(source, start, end));
}
