// The right edge of a Merkle tree: one hash per set bit of its size (at most 64), which is all a
// sequencer must keep in memory to append and compute roots. Each append reports the complete
// subtrees it finished, so the caller can persist them (as hash tiles) and answer proofs later.
import { HASH_SIZE, emptyRootHash, leafHash, nodeHash } from './hash.js';
import { logError } from './lib/errors.js';
import { assertTreeSize, type SubtreePosition } from './lib/subtrees.js';

export interface StoredHash extends SubtreePosition {
  readonly hash: Uint8Array;
}

export class CompactRange {
  #size: number;
  /** Hashes of the complete subtrees on the right edge, largest first (levels strictly decreasing). */
  #edge: StoredHash[];

  /**
   * An empty range, or one resumed at `size` from its right-edge hashes (largest subtree first),
   * as read back from storage.
   */
  constructor(size = 0, edge: readonly Uint8Array[] = []) {
    assertTreeSize(size);
    const levels: number[] = [];
    for (let level = 52; level >= 0; level--) if (Math.floor(size / 2 ** level) % 2 === 1) levels.push(level);
    if (edge.length !== levels.length) {
      throw logError(
        'LOG_COMPACT_RANGE_INVALID',
        `a tree of size ${size} has ${levels.length} edge hashes, got ${edge.length}`,
      );
    }
    let start = 0;
    this.#edge = levels.map((level, i) => {
      const hash = edge[i]!;
      if (hash.length !== HASH_SIZE)
        throw logError('LOG_COMPACT_RANGE_INVALID', `edge hash ${i} is not ${HASH_SIZE} bytes`);
      const stored = { level, index: start / 2 ** level, hash };
      start += 2 ** level;
      return stored;
    });
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  /** The right-edge hashes, largest subtree first (what to persist to resume with `new CompactRange(size, edge)`). */
  edge(): Uint8Array[] {
    return this.#edge.map((stored) => stored.hash);
  }

  /** Appends an entry; returns every complete subtree hash this append finished, the leaf first. */
  appendEntry(entry: Uint8Array): StoredHash[] {
    return this.appendLeafHash(leafHash(entry));
  }

  appendLeafHash(hash: Uint8Array): StoredHash[] {
    if (hash.length !== HASH_SIZE)
      throw logError('LOG_HASH_INVALID', `a leaf hash is ${HASH_SIZE} bytes, got ${hash.length}`);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw logError('LOG_TREE_SIZE_INVALID', 'the tree is full');
    let node: StoredHash = { level: 0, index: this.#size, hash };
    const finished: StoredHash[] = [node];
    // Merge while the new node is a right child: its left sibling is the last edge hash of its level.
    while (node.index % 2 === 1) {
      const left = this.#edge.pop()!;
      node = { level: node.level + 1, index: (node.index - 1) / 2, hash: nodeHash(left.hash, node.hash) };
      finished.push(node);
    }
    this.#edge.push(node);
    this.#size++;
    return finished;
  }

  /** MTH(D[0:size]): fold the edge from the smallest subtree up. */
  root(): Uint8Array {
    if (this.#edge.length === 0) return emptyRootHash();
    let hash = this.#edge[this.#edge.length - 1]!.hash;
    for (let i = this.#edge.length - 2; i >= 0; i--) hash = nodeHash(this.#edge[i]!.hash, hash);
    return hash;
  }
}
