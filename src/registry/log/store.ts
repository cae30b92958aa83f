// Reads of the stored log: tiles (hash tiles from log_hashes, entry bundles from log_entries), the
// latest signed checkpoint, and inclusion proofs computed from the stored tiles.
import {
  TILE_HEIGHT,
  TILE_WIDTH,
  encodeEntryBundle,
  inclusionProofFromTiles,
  parseTilePath,
  tileWidthAt,
  type Tile,
  type TileReader,
} from '../../log/index.js';
import type { Queryable } from '../db.js';

export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  /** The compact range (right-edge hashes, largest subtree first) to resume appending. */
  edge: Uint8Array[];
  /** The signed note text. */
  note: string;
}

/** A record's place in the log, as GET /registry/issuances/:id and /registry/retirements/:id carry it. */
export interface LogInclusion {
  index: number;
  treeSize: number;
  /** RFC 9162 inclusion proof, base64 hashes, leaf side first. */
  proof: string[];
  /** The signed checkpoint (C2SP signed note) the proof verifies against. */
  checkpoint: string;
  /** Base64 of the entry's bytes (the JCS JSON naming the credential's id and credentialDigest), to check offline. */
  entry: string;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const bytes = (value: unknown): Uint8Array => new Uint8Array(value as Uint8Array);

export async function latestCheckpoint(q: Queryable): Promise<StoredCheckpoint | undefined> {
  const { rows } = await q.query<{ size: unknown; root: Uint8Array; edge: Uint8Array; note: string }>(
    'SELECT size, root, edge, note FROM log_checkpoints ORDER BY size DESC LIMIT 1',
  );
  const row = rows[0];
  if (!row) return undefined;
  const edge = bytes(row.edge);
  const hashes: Uint8Array[] = [];
  for (let at = 0; at < edge.length; at += 32) hashes.push(edge.slice(at, at + 32));
  return { size: num(row.size), rootHash: bytes(row.root), edge: hashes, note: row.note };
}

/**
 * The tiles of the stored tree, read at `size` (a tile wider than the tree at that size is absent,
 * so every tile served is consistent with one checkpoint).
 */
export function databaseTileReader(q: Queryable, size: number): TileReader {
  // One read at a time: inside a transaction `q` is one connection, and the proof code reads
  // tiles in parallel (pg deprecates queries issued while another runs on the same client).
  let previous: Promise<unknown> = Promise.resolve();
  return {
    read: (path) => {
      let tile: Tile;
      try {
        tile = parseTilePath(path);
      } catch {
        return Promise.resolve(undefined);
      }
      const read = previous.then(
        () => readStoredTile(q, tile, size),
        () => readStoredTile(q, tile, size),
      );
      previous = read.catch(() => undefined);
      return read;
    },
  };
}

export async function readStoredTile(q: Queryable, tile: Tile, size: number): Promise<Uint8Array | undefined> {
  const level = tile.level === 'entries' ? 0 : tile.level;
  if (tileWidthAt(level, tile.index, size) < tile.width) return undefined;
  const first = tile.index * TILE_WIDTH;
  if (tile.level === 'entries') {
    const { rows } = await q.query<{ entry: Uint8Array }>(
      'SELECT entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
      [first, first + tile.width],
    );
    if (rows.length !== tile.width) return undefined;
    return encodeEntryBundle(rows.map((r) => bytes(r.entry)));
  }
  const { rows } = await q.query<{ hash: Uint8Array }>(
    'SELECT hash FROM log_hashes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
    [tile.level * TILE_HEIGHT, first, first + tile.width],
  );
  if (rows.length !== tile.width) return undefined;
  const out = new Uint8Array(tile.width * 32);
  rows.forEach((r, i) => out.set(bytes(r.hash), i * 32));
  return out;
}

/**
 * Where the event that made `credentialId` sits in the log, with its inclusion proof against the
 * latest checkpoint; undefined until the sequencer has logged it (a few seconds after the write).
 */
export async function credentialInclusion(q: Queryable, credentialId: string): Promise<LogInclusion | undefined> {
  const { rows } = await q.query<{ idx: unknown; entry: Uint8Array }>(
    'SELECT e.idx, e.entry FROM credentials c JOIN log_entries e ON e.event_seq = c.created_event AND e.part = 0 WHERE c.id = $1',
    [credentialId],
  );
  if (!rows[0]) return undefined;
  const index = num(rows[0].idx);
  const checkpoint = await latestCheckpoint(q);
  if (!checkpoint || checkpoint.size <= index) return undefined;
  const proof = await inclusionProofFromTiles(databaseTileReader(q, checkpoint.size), checkpoint, index);
  return {
    index,
    treeSize: checkpoint.size,
    proof: proof.map((h) => Buffer.from(h).toString('base64')),
    checkpoint: checkpoint.note,
    entry: Buffer.from(bytes(rows[0].entry)).toString('base64'),
  };
}
