// RFC 9162 §2.1.3.1: the inclusion proof (audit path) of leaf `index` in the tree of `size` leaves.
import { logError } from './lib/errors.js';
import { assertTreeSize, rangeHash, splitPoint, type HashSource } from './lib/subtrees.js';

type Range = readonly [start: number, end: number];

/** The leaf ranges whose hashes make up the proof, leaf side first (what to fetch before proving). */
export function inclusionProofRanges(index: number, size: number): Range[] {
  assertTreeSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw logError('LOG_INDEX_OUT_OF_RANGE', `leaf index ${String(index)} is not in a tree of size ${size}`);
  }
  const path: Range[] = [];
  // Walk down from the root; each level adds the sibling subtree, so the list is built root first.
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push([start + k, end]);
      end = start + k;
    } else {
      path.push([start, start + k]);
      start += k;
    }
  }
  return path.reverse();
}

export function inclusionProof(index: number, size: number, source: HashSource): Uint8Array[] {
  return inclusionProofRanges(index, size).map(([start, end]) => rangeHash(source, start, end));
}
