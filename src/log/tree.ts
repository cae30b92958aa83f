// An in-memory Merkle tree that keeps every complete-subtree hash, in flat chunks per level
// (2n hashes in all): appends in O(log n) (amortised O(1)), and answers the root at any earlier
// size and any proof without rehashing leaves.
import { CompactRange } from './compact-range.js';
import { HASH_SIZE, emptyRootHash, leafHash } from './hash.js';
import { logError } from './lib/errors.js';
import { assertTreeSize, rangeHash, type HashSource } from './lib/subtrees.js';

/**
 * One level's hashes in fixed-size chunks: an append never copies what is already stored (a doubling
 * buffer would copy 32 MB at a million leaves, a spike inside one append), so its cost stays flat.
 */
class HashColumn {
  static readonly CHUNK = 4096;
  readonly chunks: Uint8Array[] = [];
  count = 0;

  push(hash: Uint8Array): void {
    const offset = this.count % HashColumn.CHUNK;
    if (offset === 0) this.chunks.push(new Uint8Array(HASH_SIZE * HashColumn.CHUNK));
    this.chunks[this.chunks.length - 1]!.set(hash, offset * HASH_SIZE);
    this.count++;
  }

  at(index: number): Uint8Array {
    const offset = (index % HashColumn.CHUNK) * HASH_SIZE;
    return this.chunks[Math.floor(index / HashColumn.CHUNK)]!.subarray(offset, offset + HASH_SIZE);
  }
}

export class MemoryTree implements HashSource {
  readonly #range = new CompactRange();
  readonly #levels: HashColumn[] = [];

  get size(): number {
    return this.#range.size;
  }

  /** Appends one log entry (its bytes); returns its index. */
  append(entry: Uint8Array): number {
    return this.appendLeafHash(leafHash(entry));
  }

  appendLeafHash(hash: Uint8Array): number {
    const index = this.#range.size;
    for (const stored of this.#range.appendLeafHash(hash)) {
      (this.#levels[stored.level] ??= new HashColumn()).push(stored.hash);
    }
    return index;
  }

  hashAt(level: number, index: number): Uint8Array {
    const column = this.#levels[level];
    if (column === undefined || !Number.isSafeInteger(index) || index < 0 || index >= column.count) {
      throw logError(
        'LOG_HASH_UNAVAILABLE',
        `no complete subtree at level ${level}, index ${index} in a tree of size ${this.size}`,
      );
    }
    return column.at(index);
  }

  leafHash(index: number): Uint8Array {
    return this.hashAt(0, index);
  }

  /** MTH(D[0:size]) for any size up to the current one (the current root by default). */
  root(size: number = this.size): Uint8Array {
    assertTreeSize(size);
    if (size > this.size) throw logError('LOG_TREE_SIZE_INVALID', `size ${size} is beyond the tree (${this.size})`);
    if (size === this.size) return this.#range.root();
    return size === 0 ? emptyRootHash() : rangeHash(this, 0, size);
  }
}
