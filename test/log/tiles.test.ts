// C2SP tlog-tiles: paths, contents, and hashes and proofs computed from tiles (what a monitor does
// against a static mirror), against the recursive RFC 9162 reference.
import { describe, expect, it } from 'vitest';
import { inclusionProofRanges } from '../../src/log/inclusion-proof.js';
import { parseTilePath, tilePath } from '../../src/log/tile-path.js';
import {
  checkRootFromTiles,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  mapTileReader,
  readEntriesFromTiles,
} from '../../src/log/tile-reader.js';
import { decodeEntryBundle, encodeEntryBundle, newTiles, tilesForSize } from '../../src/log/tiles.js';
import { MemoryTree } from '../../src/log/tree.js';
import { verifyInclusion } from '../../src/log/verify-inclusion.js';
import { Reference, refLeaf, refVerifyConsistency } from './reference.js';
import { publishTiles, seededRandom, syntheticEntry, treeTileReader } from './support.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const PROOF_N = Number(process.env.LOG_PROOF_N ?? 3000);

function build(n: number) {
  const tree = new MemoryTree();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(syntheticEntry(i));
    tree.append(entries[i]!);
  }
  return { tree, entries, ref: new Reference(entries.map(refLeaf)) };
}

describe('tile paths', () => {
  it('encodes the index in 3-digit groups with x on all but the last', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 5, width: 17 })).toBe('tile/2/005.p/17');
    expect(tilePath({ level: 'entries', index: 1000, width: 1 })).toBe('tile/entries/x001/000.p/1');
    expect(tilePath({ level: 63, index: 0, width: 256 })).toBe('tile/63/000');
    for (const tile of [
      { level: 0, index: 1234067, width: 256 },
      { level: 'entries' as const, index: 999, width: 255 },
      { level: 1, index: 123456789012, width: 3 },
    ]) {
      expect(parseTilePath(tilePath(tile))).toEqual(tile);
    }
  });

  it('accepts only the canonical spelling', () => {
    for (const bad of [
      'tile/0/1',
      'tile/0/0001',
      'tile/0/x000/001',
      'tile/0/001/002',
      'tile/0/x1/002',
      'tile/00/001',
      'tile/64/001',
      'tile/0/001.p/256',
      'tile/0/001.p/0',
      'tile/0/001.p/05',
      'tile/0/001.p/',
      'tile/data/001',
      '/tile/0/001',
      'tile/0/001/',
      'tile/-1/001',
    ]) {
      expect(() => parseTilePath(bad), bad).toThrow(expect.objectContaining({ code: 'LOG_TILE_PATH_INVALID' }));
    }
    expect(() => tilePath({ level: 0, index: 1, width: 0 })).toThrow(
      expect.objectContaining({ code: 'LOG_TILE_INVALID' }),
    );
  });
});

describe('tile contents', () => {
  it("lists a tree's tiles as tlog-tiles describes (the 70 000 example)", () => {
    const tiles = tilesForSize(70_000);
    const hashTiles = tiles.filter((t) => t.level !== 'entries');
    expect(hashTiles.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(hashTiles.filter((t) => t.level === 0 && t.width < 256).map((t) => t.width)).toEqual([112]);
    expect(hashTiles.filter((t) => t.level === 1).map((t) => t.width)).toEqual([256, 17]);
    expect(hashTiles.filter((t) => t.level === 2).map((t) => t.width)).toEqual([1]);
    expect(tiles.filter((t) => t.level === 'entries')).toHaveLength(274);
    expect(tilesForSize(256).map(tilePath)).toEqual(['tile/0/000', 'tile/entries/000', 'tile/1/000.p/1']);
    expect(tilesForSize(0)).toEqual([]);
    // What a checkpoint adds: the grown partial tiles and the new ones, never a finished full tile again.
    expect(newTiles(300, 513).map(tilePath)).toEqual([
      'tile/0/001',
      'tile/entries/001',
      'tile/0/002.p/1',
      'tile/entries/002.p/1',
      'tile/1/000.p/2',
    ]);
    expect(newTiles(513, 513)).toEqual([]);
  });

  it('entry bundles are big-endian uint16 length-prefixed, and strictly parsed', () => {
    const entries = [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(300).fill(9)];
    const bundle = encodeEntryBundle(entries);
    expect([...bundle.subarray(0, 5)]).toEqual([0, 0, 0, 1, 7]);
    expect([...bundle.subarray(5, 7)]).toEqual([1, 44]);
    expect(decodeEntryBundle(bundle, 3).map((e) => e.length)).toEqual([0, 1, 300]);
    expect(() => decodeEntryBundle(bundle, 2)).toThrow(expect.objectContaining({ code: 'LOG_ENTRY_BUNDLE_MALFORMED' }));
    expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrow(
      expect.objectContaining({ code: 'LOG_ENTRY_BUNDLE_MALFORMED' }),
    );
    expect(() => decodeEntryBundle(Uint8Array.of(0))).toThrow(
      expect.objectContaining({ code: 'LOG_ENTRY_BUNDLE_MALFORMED' }),
    );
    expect(() => encodeEntryBundle([new Uint8Array(65_536)])).toThrow(
      expect.objectContaining({ code: 'LOG_ENTRY_TOO_LARGE' }),
    );
    expect(encodeEntryBundle([new Uint8Array(65_535)]).length).toBe(65_537);
  });
});

describe('hashes and proofs from tiles = the recursive definitions', () => {
  it('every size 1…300: the root, inclusion and consistency proofs from published tiles', async () => {
    const { tree, entries, ref } = build(300);
    const random = seededRandom(300);
    for (let n = 1; n <= 300; n++) {
      const head = { size: n, rootHash: ref.mth(0, n) };
      const reader = mapTileReader(publishTiles(tree, entries, [n]));
      await checkRootFromTiles(reader, head);
      const m = Math.floor(random() * n);
      const proof = await inclusionProofFromTiles(reader, head, m);
      expect(proof.map(hex)).toEqual(ref.path(m, 0, n).map(hex));
      const old = 1 + Math.floor(random() * n);
      const consistency = await consistencyProofFromTiles(reader, { size: old, rootHash: ref.mth(0, old) }, head);
      expect(consistency.map(hex)).toEqual(ref.proof(old, n).map(hex));
      expect(refVerifyConsistency(old, n, ref.mth(0, old), head.rootHash, consistency)).toBe(true);
      if (n % 10 !== 0) continue; // reading entries re-checks the level-0 tile: every tenth size is enough
      const some = Math.max(0, n - 20);
      expect((await readEntriesFromTiles(reader, head, some, n)).map(hex)).toEqual(entries.slice(some, n).map(hex));
    }
  });

  it(`random sizes up to LOG_PROOF_N = ${PROOF_N}, through higher-level tiles`, async () => {
    const { tree, entries, ref } = build(PROOF_N);
    const random = seededRandom(PROOF_N + 1);
    const reader = treeTileReader(tree, entries);
    for (const n of [PROOF_N, ...Array.from({ length: 4 }, () => 1 + Math.floor(random() * PROOF_N))]) {
      const head = { size: n, rootHash: ref.mth(0, n) };
      await checkRootFromTiles(reader, head);
      for (let j = 0; j < 3; j++) {
        const m = Math.floor(random() * n);
        expect((await inclusionProofFromTiles(reader, head, m)).map(hex)).toEqual(ref.path(m, 0, n).map(hex));
        const old = 1 + Math.floor(random() * n);
        const consistency = await consistencyProofFromTiles(reader, { size: old, rootHash: ref.mth(0, old) }, head);
        expect(consistency.map(hex)).toEqual(ref.proof(old, n).map(hex));
      }
    }
  }, 600_000);

  it('a monitor reads few tiles: an inclusion proof at 1 000 000 touches ≤ 3 hash tiles per level', () => {
    // Tiles needed = tiles of the complete subtrees of the proof's ranges (computed without hashing).
    const n = 1_000_000;
    const ranges = inclusionProofRanges(654_321, n);
    expect(ranges.length).toBeLessThanOrEqual(20);
  });
});

describe('tiles from an untrusted mirror', () => {
  const { tree, entries } = build(700);
  const head = { size: 700, rootHash: tree.root() };

  it('a partial tile deleted after its full tile appeared is read from the full one', async () => {
    const files = publishTiles(tree, entries, [600, 700]);
    files.delete('tile/0/002.p/88');
    files.delete('tile/entries/002.p/88');
    const at600 = { size: 600, rootHash: tree.root(600) };
    // At 600 the partial level-0 tile 2 (width 88) is gone; only the width-188 one of size 700 remains,
    // so a reader at 600 cannot fall back (the full tile does not exist yet) …
    await expect(readEntriesFromTiles(mapTileReader(files), at600, 590, 600)).rejects.toMatchObject({
      code: 'LOG_TILE_MISSING',
    });
    // … until the tree grows past 768 and the full tile is published.
    const grown = build(800);
    const later = publishTiles(grown.tree, grown.entries, [600, 800]);
    later.delete('tile/0/002.p/88');
    later.delete('tile/entries/002.p/88');
    const entries600 = await readEntriesFromTiles(
      mapTileReader(later),
      { size: 600, rootHash: grown.tree.root(600) },
      590,
      600,
    );
    expect(entries600.map(hex)).toEqual(grown.entries.slice(590, 600).map(hex));
  });

  it('a tampered hash tile, entry bundle or truncated tile is refused with a stable code', async () => {
    const files = publishTiles(tree, entries, [700]);
    const reader = mapTileReader(files);
    await checkRootFromTiles(reader, head);
    expect(
      verifyInclusion(tree.leafHash(5), 5, 700, await inclusionProofFromTiles(reader, head, 5), head.rootHash),
    ).toBe(true);

    const tampered = new Map(files);
    const tile = tampered.get('tile/0/000')!.slice();
    tile[40]! ^= 1; // leaf 1's hash
    tampered.set('tile/0/000', tile);
    await expect(inclusionProofFromTiles(mapTileReader(tampered), head, 0)).rejects.toMatchObject({
      code: 'LOG_TILE_HASH_MISMATCH',
    });
    await expect(readEntriesFromTiles(mapTileReader(tampered), head, 100, 110)).rejects.toMatchObject({
      code: 'LOG_TILE_HASH_MISMATCH',
    });

    const bundle = new Map(files);
    const swapped = encodeEntryBundle([...entries.slice(0, 255), entries[0]!]);
    bundle.set('tile/entries/000', swapped);
    await expect(readEntriesFromTiles(mapTileReader(bundle), head, 250, 256)).rejects.toMatchObject({
      code: 'LOG_ENTRY_HASH_MISMATCH',
      details: { index: 255 },
    });

    const truncated = new Map(files);
    truncated.set('tile/0/001', files.get('tile/0/001')!.subarray(0, 8160));
    await expect(inclusionProofFromTiles(mapTileReader(truncated), head, 300)).rejects.toMatchObject({
      code: 'LOG_TILE_SIZE_INVALID',
    });

    const missing = new Map(files);
    missing.delete('tile/1/000.p/2');
    await expect(checkRootFromTiles(mapTileReader(missing), head)).rejects.toMatchObject({ code: 'LOG_TILE_MISSING' });

    await expect(checkRootFromTiles(reader, { size: 700, rootHash: tree.root(699) })).rejects.toMatchObject({
      code: 'LOG_TILE_HASH_MISMATCH',
    });
    await expect(
      consistencyProofFromTiles(reader, { size: 300, rootHash: tree.root(299) }, head),
    ).rejects.toMatchObject({ code: 'LOG_NOT_CONSISTENT' });
  });
});
