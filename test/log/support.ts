/** A small deterministic PRNG (mulberry32) so random sizes are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distinct entry per index, of varying length (a synthetic log). */
export function syntheticEntry(index: number): Uint8Array {
  return new TextEncoder().encode(`{"seq":${index},"type":"synthetic","pad":"${'x'.repeat(index % 17)}"}`);
}

import { MemoryTree } from '../../src/log/tree.js';
import { parseTilePath, tilePath, type Tile } from '../../src/log/tile-path.js';
import { encodeEntryBundle, hashTileData, tilesForSize } from '../../src/log/tiles.js';
import type { TileReader } from '../../src/log/tile-reader.js';

/** A log as a static mirror would hold it: every tile and bundle of each published size. */
export function publishTiles(
  tree: MemoryTree,
  entries: readonly Uint8Array[],
  sizes: readonly number[],
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const size of sizes) {
    for (const tile of tilesForSize(size)) files.set(tilePath(tile), tileData(tree, entries, tile));
  }
  return files;
}

export function tileData(tree: MemoryTree, entries: readonly Uint8Array[], tile: Tile): Uint8Array {
  if (tile.level !== 'entries') return hashTileData(tree, tile);
  return encodeEntryBundle(entries.slice(tile.index * 256, tile.index * 256 + tile.width));
}

/** A reader that serves any tile of the tree on demand (full tiles, and partial ones of the published sizes). */
export function treeTileReader(tree: MemoryTree, entries: readonly Uint8Array[], log: string[] = []): TileReader {
  return {
    read: async (path) => {
      log.push(path);
      const tile = parseTilePath(path);
      const level = tile.level === 'entries' ? 0 : tile.level;
      if ((tile.index * 256 + tile.width) * 256 ** level > tree.size) return undefined;
      return tileData(tree, entries, tile);
    },
  };
}
