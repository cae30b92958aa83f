// Reading a tiled log through a pluggable reader (HTTP, a directory, a database, a Map in tests).
// Hashes read from tiles are untrusted: everything computed from them here is checked against a
// root hash the caller took from a verified checkpoint before it is returned.
import { HASH_SIZE, leafHash, nodeHash } from './hash.js';
import { bytesEqual, toBase64 } from './lib/bytes.js';
import { logError } from './lib/errors.js';
import { assertTreeSize, completeSubtrees, type HashSource, type SubtreePosition } from './lib/subtrees.js';
import { consistencyProof, consistencyProofRanges } from './consistency-proof.js';
import { inclusionProof, inclusionProofRanges } from './inclusion-proof.js';
import { TILE_HEIGHT, TILE_WIDTH, tilePath, type Tile } from './tile-path.js';
import { decodeEntryBundle, parseHashTile, tileWidthAt } from './tiles.js';
import { verifyConsistency } from './verify-consistency.js';
import { verifyInclusion } from './verify-inclusion.js';

export interface TileReader {
  /** The resource at a tile path (`tile/0/x001/234.p/5`), or undefined when it does not exist. */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** A tree head the caller has verified (from a checkpoint): tiles are checked against it. */
export interface TreeHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/** A reader over a Map of path → bytes (tests, in-memory mirrors). */
export function mapTileReader(files: ReadonlyMap<string, Uint8Array>): TileReader {
  return { read: async (path) => files.get(path) };
}

/**
 * Reads a tile of the given width. A partial tile may have been deleted once its full tile exists
 * (tlog-tiles §Partial Tiles), so a missing partial tile falls back to the prefix of the full one.
 */
export async function readTile(reader: TileReader, tile: Tile): Promise<Uint8Array> {
  let data = await reader.read(tilePath(tile));
  if (data === undefined && tile.width < TILE_WIDTH) {
    const full = await reader.read(tilePath({ ...tile, width: TILE_WIDTH }));
    if (full !== undefined)
      data = tile.level === 'entries' ? bundlePrefix(full, tile.width) : full.subarray(0, tile.width * HASH_SIZE);
  }
  if (data === undefined)
    throw logError('LOG_TILE_MISSING', `the log does not serve ${tilePath(tile)}`, { path: tilePath(tile) });
  if (tile.level !== 'entries') parseHashTile(data, tile.width);
  return data;
}

function bundlePrefix(full: Uint8Array, width: number): Uint8Array {
  let at = 0;
  for (let i = 0; i < width && at < full.length; i++) at += 2 + ((full[at]! << 8) | (full[at + 1] ?? 0));
  return full.subarray(0, Math.min(at, full.length));
}

/** Complete-subtree hashes computed from the hash tiles of a tree of `size` leaves, loaded on demand. */
export class TileHashSource implements HashSource {
  readonly #tiles = new Map<string, Uint8Array[]>();
  readonly #memo = new Map<string, Uint8Array>();

  constructor(
    readonly reader: TileReader,
    readonly size: number,
  ) {
    assertTreeSize(size);
  }

  /** Fetches (in parallel) every tile needed for these positions. */
  async load(positions: readonly SubtreePosition[]): Promise<void> {
    const wanted = new Map<string, Tile>();
    for (const position of positions) {
      const tile = this.#tileOf(position);
      const key = tilePath(tile);
      if (!this.#tiles.has(key)) wanted.set(key, tile);
    }
    await Promise.all(
      [...wanted].map(async ([key, tile]) => {
        this.#tiles.set(key, parseHashTile(await readTile(this.reader, tile), tile.width));
      }),
    );
  }

  hashAt(level: number, index: number): Uint8Array {
    const memoKey = `${level}/${index}`;
    const memo = this.#memo.get(memoKey);
    if (memo !== undefined) return memo;
    const tile = this.#tileOf({ level, index });
    const hashes = this.#tiles.get(tilePath(tile));
    if (hashes === undefined) throw logError('LOG_HASH_UNAVAILABLE', `tile ${tilePath(tile)} was not loaded`);
    // The subtree is 2^(level − 8L) consecutive hashes of the tile's row, folded pairwise.
    const span = 2 ** (level - tile.level * TILE_HEIGHT);
    const first = index * span - tile.index * TILE_WIDTH;
    let row = hashes.slice(first, first + span);
    while (row.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i]!, row[i + 1]!));
      row = next;
    }
    this.#memo.set(memoKey, row[0]!);
    return row[0]!;
  }

  #tileOf({ level, index }: SubtreePosition): Tile & { level: number } {
    if (!Number.isSafeInteger(index) || index < 0 || (index + 1) * 2 ** level > this.size) {
      throw logError(
        'LOG_HASH_UNAVAILABLE',
        `no complete subtree at level ${level}, index ${index} in a tree of size ${this.size}`,
      );
    }
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const rowIndex = index * 2 ** (level - tileLevel * TILE_HEIGHT);
    const tileIndex = Math.floor(rowIndex / TILE_WIDTH);
    return { level: tileLevel, index: tileIndex, width: tileWidthAt(tileLevel, tileIndex, this.size) };
  }
}

function rangePositions(ranges: readonly (readonly [number, number])[]): SubtreePosition[] {
  return ranges.flatMap(([start, end]) => completeSubtrees(start, end));
}

function mismatch(what: string, head: TreeHead): Error {
  return logError(
    'LOG_TILE_HASH_MISMATCH',
    `${what} from the tiles does not match the root hash of the tree of size ${head.size}`,
    {
      size: head.size,
      rootHash: toBase64(head.rootHash),
    },
  );
}

/** The root hash of `head.size` computed from tiles, which must equal `head.rootHash`. */
export async function checkRootFromTiles(reader: TileReader, head: TreeHead): Promise<void> {
  if (head.size === 0) return;
  const source = new TileHashSource(reader, head.size);
  const parts = completeSubtrees(0, head.size);
  await source.load(parts);
  let hash = source.hashAt(parts[parts.length - 1]!.level, parts[parts.length - 1]!.index);
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(source.hashAt(parts[i]!.level, parts[i]!.index), hash);
  if (!bytesEqual(hash, head.rootHash)) throw mismatch('the root', head);
}

/** An inclusion proof for leaf `index`, computed from tiles and verified against `head`. */
export async function inclusionProofFromTiles(
  reader: TileReader,
  head: TreeHead,
  index: number,
): Promise<Uint8Array[]> {
  const source = new TileHashSource(reader, head.size);
  await source.load([...rangePositions(inclusionProofRanges(index, head.size)), { level: 0, index }]);
  const proof = inclusionProof(index, head.size, source);
  if (!verifyInclusion(source.hashAt(0, index), index, head.size, proof, head.rootHash))
    throw mismatch(`the inclusion proof of leaf ${index}`, head);
  return proof;
}

/** A consistency proof from `old` to `head`, computed from tiles of `head` and verified against both roots. */
export async function consistencyProofFromTiles(
  reader: TileReader,
  old: TreeHead,
  head: TreeHead,
): Promise<Uint8Array[]> {
  const source = new TileHashSource(reader, head.size);
  await source.load(rangePositions(consistencyProofRanges(old.size, head.size)));
  const proof = consistencyProof(old.size, head.size, source);
  if (!verifyConsistency(old.size, head.size, old.rootHash, head.rootHash, proof)) {
    throw logError(
      'LOG_NOT_CONSISTENT',
      `the tree of size ${head.size} is not consistent with the tree of size ${old.size}`,
      {
        oldSize: old.size,
        newSize: head.size,
      },
    );
  }
  return proof;
}

/**
 * The entries [start, end) of the tree `head`, from its entry bundles. Each level-0 tile is
 * authenticated against `head.rootHash` (the inclusion proof of its first leaf runs through every
 * hash in it), and each entry must hash to its leaf in that tile.
 */
export async function readEntriesFromTiles(
  reader: TileReader,
  head: TreeHead,
  start: number,
  end: number,
): Promise<Uint8Array[]> {
  assertTreeSize(start, 'start');
  if (!Number.isSafeInteger(end) || end < start || end > head.size) {
    throw logError('LOG_INDEX_OUT_OF_RANGE', `entries [${start}, ${end}) are not in a tree of size ${head.size}`);
  }
  const source = new TileHashSource(reader, head.size);
  const out: Uint8Array[] = [];
  for (let tileIndex = Math.floor(start / TILE_WIDTH); tileIndex * TILE_WIDTH < end; tileIndex++) {
    const first = tileIndex * TILE_WIDTH;
    const width = tileWidthAt(0, tileIndex, head.size);
    const [bundle] = await Promise.all([
      readTile(reader, { level: 'entries', index: tileIndex, width }),
      source.load([...rangePositions(inclusionProofRanges(first, head.size)), { level: 0, index: first }]),
    ]);
    const proof = inclusionProof(first, head.size, source);
    if (!verifyInclusion(source.hashAt(0, first), first, head.size, proof, head.rootHash))
      throw mismatch(`hash tile 0/${tileIndex}`, head);
    const entries = decodeEntryBundle(bundle, width);
    for (let i = 0; i < width; i++) {
      const index = first + i;
      if (index < start || index >= end) continue;
      if (!bytesEqual(leafHash(entries[i]!), source.hashAt(0, index))) {
        throw logError(
          'LOG_ENTRY_HASH_MISMATCH',
          `entry ${index} in the bundle does not hash to leaf ${index} of the tiles`,
          { index },
        );
      }
      out.push(entries[i]!);
    }
  }
  return out;
}
