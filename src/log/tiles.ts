// C2SP tlog-tiles contents: which tiles a tree of a given size has, hash tiles (consecutive 32-byte
// hashes at tree height 8·L) and entry bundles (entries each preceded by a big-endian uint16 length).
import { HASH_SIZE } from './hash.js';
import { concatBytes } from './lib/bytes.js';
import { logError } from './lib/errors.js';
import { assertTreeSize, type HashSource } from './lib/subtrees.js';
import { TILE_HEIGHT, TILE_WIDTH, type Tile } from './tile-path.js';

/** The largest entry a bundle can carry (its length prefix is a uint16). */
export const MAX_ENTRY_SIZE = 0xffff;

/** Every hash tile and entry bundle of a tree of `size` leaves (full tiles, then the partial one, per level). */
export function tilesForSize(size: number): Tile[] {
  return newTiles(0, size);
}

/** The tiles that exist at `newSize` but not (in that width) at `oldSize`: what a new checkpoint adds. */
export function newTiles(oldSize: number, newSize: number): Tile[] {
  assertTreeSize(oldSize, 'old tree size');
  assertTreeSize(newSize, 'new tree size');
  if (oldSize > newSize)
    throw logError('LOG_TREE_SIZE_INVALID', `old tree size ${oldSize} is larger than new tree size ${newSize}`);
  const out: Tile[] = [];
  for (let level = 0; TILE_WIDTH ** level <= newSize; level++) {
    const oldHashes = Math.floor(oldSize / TILE_WIDTH ** level);
    const newHashes = Math.floor(newSize / TILE_WIDTH ** level);
    for (let index = Math.floor(oldHashes / TILE_WIDTH); index * TILE_WIDTH < newHashes; index++) {
      const width = Math.min(TILE_WIDTH, newHashes - index * TILE_WIDTH);
      const oldWidth = Math.max(0, Math.min(TILE_WIDTH, oldHashes - index * TILE_WIDTH));
      if (width === oldWidth) continue;
      out.push({ level, index, width });
      if (level === 0) out.push({ level: 'entries', index, width });
    }
  }
  return out;
}

/** The width of tile (level, index) in a tree of `size`, or 0 when the tree has no such tile. */
export function tileWidthAt(level: number, index: number, size: number): number {
  const hashes = Math.floor(size / TILE_WIDTH ** level);
  return Math.max(0, Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH));
}

/** The bytes of a hash tile, from any source of complete-subtree hashes. */
export function hashTileData(source: HashSource, tile: Tile): Uint8Array {
  if (tile.level === 'entries') throw logError('LOG_TILE_INVALID', 'an entry bundle is not a hash tile');
  const parts: Uint8Array[] = [];
  for (let i = 0; i < tile.width; i++) parts.push(source.hashAt(tile.level * TILE_HEIGHT, tile.index * TILE_WIDTH + i));
  return concatBytes(...parts);
}

/** Splits a hash tile into its hashes; the data must be exactly `width` hashes. */
export function parseHashTile(data: Uint8Array, width: number): Uint8Array[] {
  if (data.length !== width * HASH_SIZE) {
    throw logError(
      'LOG_TILE_SIZE_INVALID',
      `a hash tile of width ${width} is ${width * HASH_SIZE} bytes, got ${data.length}`,
    );
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < width; i++) out.push(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  entries.forEach((entry, i) => {
    if (entry.length > MAX_ENTRY_SIZE) {
      throw logError(
        'LOG_ENTRY_TOO_LARGE',
        `entry ${i} is ${entry.length} bytes; a bundle entry is at most ${MAX_ENTRY_SIZE}`,
      );
    }
    parts.push(Uint8Array.of(entry.length >> 8, entry.length & 0xff), entry);
  });
  return concatBytes(...parts);
}

/** The entries of a bundle; with `width`, the bundle must hold exactly that many (no trailing bytes). */
export function decodeEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length)
      throw logError('LOG_ENTRY_BUNDLE_MALFORMED', `a length prefix is cut off at byte ${at}`, { offset: at });
    const length = (data[at]! << 8) | data[at + 1]!;
    if (at + 2 + length > data.length) {
      throw logError(
        'LOG_ENTRY_BUNDLE_MALFORMED',
        `entry ${out.length} claims ${length} bytes but the bundle ends first`,
        { offset: at },
      );
    }
    out.push(data.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (width !== undefined && out.length !== width) {
    throw logError('LOG_ENTRY_BUNDLE_MALFORMED', `the bundle holds ${out.length} entries, expected ${width}`);
  }
  return out;
}
