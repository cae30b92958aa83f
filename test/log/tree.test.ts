// The incremental tree and its proofs against the direct recursive RFC 9162 §2.1 transcription
// (test/log/reference.ts). Every size 1…300 here; random sizes up to LOG_PROOF_N (default 3 000 in
// `npm test`; the full run sets LOG_PROOF_N=1000000).
import { describe, expect, it } from 'vitest';
import { CompactRange } from '../../src/log/compact-range.js';
import { consistencyProof, consistencyProofRanges } from '../../src/log/consistency-proof.js';
import { emptyRootHash, leafHash, nodeHash } from '../../src/log/hash.js';
import { inclusionProof, inclusionProofRanges } from '../../src/log/inclusion-proof.js';
import { MemoryTree } from '../../src/log/tree.js';
import { verifyConsistency } from '../../src/log/verify-consistency.js';
import { verifyInclusion } from '../../src/log/verify-inclusion.js';
import { Reference, refLeaf, refVerifyConsistency, refVerifyInclusion } from './reference.js';
import { seededRandom, syntheticEntry } from './support.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const hexes = (list: Uint8Array[]): string[] => list.map(hex);
const PROOF_N = Number(process.env.LOG_PROOF_N ?? 3000);

function build(n: number): { tree: MemoryTree; ref: Reference } {
  const tree = new MemoryTree();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const entry = syntheticEntry(i);
    tree.append(entry);
    leaves.push(refLeaf(entry));
  }
  return { tree, ref: new Reference(leaves) };
}

describe('RFC 9162 §2.1 hashing', () => {
  it('leaf and node hashes are domain-separated SHA-256 (fixed vectors)', () => {
    // SHA-256("") and SHA-256(0x00) are well-known; the node vector is SHA-256(0x01 || 32×0x00 || 32×0x00).
    expect(hex(emptyRootHash())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(nodeHash(new Uint8Array(32), new Uint8Array(32)))).toBe(
      hex(refNode(new Uint8Array(32), new Uint8Array(32))),
    );
  });
});

function refNode(l: Uint8Array, r: Uint8Array): Uint8Array {
  return new Reference([l, r]).mth(0, 2);
}

describe('incremental tree = direct recursive MTH, every size 1…300', () => {
  const { tree, ref } = build(300);

  it('the root at every size, from the memory tree, a compact range and a resumed compact range', () => {
    const range = new CompactRange();
    for (let n = 1; n <= 300; n++) {
      range.appendLeafHash(tree.leafHash(n - 1));
      const expected = hex(ref.mth(0, n));
      expect(hex(tree.root(n))).toBe(expected);
      expect(hex(range.root())).toBe(expected);
      expect(hex(new CompactRange(n, range.edge()).root())).toBe(expected);
    }
    expect(hex(tree.root(0))).toBe(hex(ref.mth(0, 0)));
  });

  it('inclusion proofs equal PATH(m, D[n]) and verify both ways', () => {
    const random = seededRandom(19);
    for (let n = 1; n <= 300; n++) {
      const root = ref.mth(0, n);
      const indices =
        n <= 24
          ? [...Array(n).keys()]
          : [0, n - 1, Math.floor(n / 2), ...Array.from({ length: 5 }, () => Math.floor(random() * n))];
      for (const m of indices) {
        const ours = inclusionProof(m, n, tree);
        const theirs = ref.path(m, 0, n);
        expect(hexes(ours)).toEqual(hexes(theirs));
        expect(verifyInclusion(tree.leafHash(m), m, n, theirs, root)).toBe(true);
        expect(refVerifyInclusion(tree.leafHash(m), m, n, ours, root)).toBe(true);
      }
    }
  });

  it('consistency proofs equal PROOF(m, D[n]) and verify both ways', () => {
    const random = seededRandom(23);
    for (let n = 1; n <= 300; n++) {
      const sizes =
        n <= 24
          ? [...Array(n).keys()].map((i) => i + 1)
          : [1, n - 1, n, Math.floor(n / 2), ...Array.from({ length: 5 }, () => 1 + Math.floor(random() * n))];
      for (const m of sizes) {
        const ours = consistencyProof(m, n, tree);
        const theirs = ref.proof(m, n);
        expect(hexes(ours)).toEqual(hexes(theirs));
        expect(verifyConsistency(m, n, ref.mth(0, m), ref.mth(0, n), theirs)).toBe(true);
        expect(refVerifyConsistency(m, n, ref.mth(0, m), ref.mth(0, n), ours)).toBe(true);
      }
    }
  });

  it('rejects wrong proofs (positive controls for the checks above)', () => {
    const root = tree.root(300);
    const proof = inclusionProof(37, 300, tree);
    expect(verifyInclusion(tree.leafHash(37), 37, 300, proof, root)).toBe(true);
    expect(verifyInclusion(tree.leafHash(38), 37, 300, proof, root)).toBe(false); // another leaf
    expect(verifyInclusion(tree.leafHash(37), 38, 300, proof, root)).toBe(false); // another index
    // Another size: the shape of a proof for a leaf in the left complete subtree does not depend on
    // the size, so the check bites for a leaf on the right edge.
    const edge = inclusionProof(298, 300, tree);
    expect(verifyInclusion(tree.leafHash(298), 298, 300, edge, root)).toBe(true);
    expect(verifyInclusion(tree.leafHash(298), 298, 301, edge, root)).toBe(false);
    expect(verifyInclusion(tree.leafHash(298), 298, 299, edge, root)).toBe(false);
    expect(verifyInclusion(tree.leafHash(37), 37, 300, proof.slice(1), root)).toBe(false); // short
    expect(verifyInclusion(tree.leafHash(37), 37, 300, [...proof, proof[0]!], root)).toBe(false); // long
    expect(verifyInclusion(tree.leafHash(37), 300, 300, proof, root)).toBe(false); // index ≥ size
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((p) => p.slice());
      bad[i]![0]! ^= 1;
      expect(verifyInclusion(tree.leafHash(37), 37, 300, bad, root)).toBe(false);
    }
    const c = consistencyProof(100, 300, tree);
    expect(verifyConsistency(100, 300, tree.root(100), root, c)).toBe(true);
    expect(verifyConsistency(100, 300, tree.root(101), root, c)).toBe(false);
    expect(verifyConsistency(100, 300, tree.root(100), tree.root(299), c)).toBe(false);
    expect(verifyConsistency(101, 300, tree.root(100), root, c)).toBe(false);
    expect(verifyConsistency(100, 300, tree.root(100), root, c.slice(0, -1))).toBe(false);
    expect(verifyConsistency(100, 300, tree.root(100), root, [])).toBe(false);
    for (let i = 0; i < c.length; i++) {
      const bad = c.map((p) => p.slice());
      bad[i]![5]! ^= 0x80;
      expect(verifyConsistency(100, 300, tree.root(100), root, bad)).toBe(false);
    }
    // The trivial cases: a tree is consistent with itself and with the empty tree, and nothing else.
    expect(verifyConsistency(300, 300, root, root, [])).toBe(true);
    expect(verifyConsistency(300, 300, root, tree.root(299), [])).toBe(false);
    expect(verifyConsistency(0, 300, emptyRootHash(), root, [])).toBe(true);
    expect(verifyConsistency(0, 300, root, root, [])).toBe(false);
    expect(verifyConsistency(64, 300, tree.root(64), root, consistencyProof(64, 300, tree))).toBe(true);
  });

  it('refuses a proof request outside the tree with stable codes', () => {
    expect(() => inclusionProof(300, 300, tree)).toThrow(expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }));
    expect(() => inclusionProof(-1, 300, tree)).toThrow(expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }));
    expect(() => consistencyProof(301, 300, tree)).toThrow(expect.objectContaining({ code: 'LOG_TREE_SIZE_INVALID' }));
    expect(() => inclusionProof(10, 301, tree)).toThrow(expect.objectContaining({ code: 'LOG_HASH_UNAVAILABLE' }));
    expect(() => tree.root(301)).toThrow(expect.objectContaining({ code: 'LOG_TREE_SIZE_INVALID' }));
    expect(() => new CompactRange(5, [])).toThrow(expect.objectContaining({ code: 'LOG_COMPACT_RANGE_INVALID' }));
  });
});

describe(`random sizes up to LOG_PROOF_N = ${PROOF_N}`, () => {
  it('roots and proofs at random sizes equal the recursive definitions', () => {
    const random = seededRandom(PROOF_N);
    const { tree, ref } = build(PROOF_N);
    const sizes = [PROOF_N, ...Array.from({ length: 4 }, () => 1 + Math.floor(random() * PROOF_N))];
    for (const n of sizes) {
      const root = ref.mth(0, n);
      expect(hex(tree.root(n))).toBe(hex(root));
      for (let j = 0; j < 4; j++) {
        const m = Math.floor(random() * n);
        expect(hexes(inclusionProof(m, n, tree))).toEqual(hexes(ref.path(m, 0, n)));
        expect(verifyInclusion(tree.leafHash(m), m, n, ref.path(m, 0, n), root)).toBe(true);
        const old = 1 + Math.floor(random() * n);
        const proof = consistencyProof(old, n, tree);
        expect(hexes(proof)).toEqual(hexes(ref.proof(old, n)));
        expect(refVerifyConsistency(old, n, ref.mth(0, old), root, proof)).toBe(true);
      }
    }
  }, 600_000);
});

describe('proof sizes at 1 000 000 entries', () => {
  it('an inclusion proof has ≤ 20 hashes and a consistency proof ≤ 2⌈log₂ n⌉', () => {
    const n = 1_000_000;
    const bound = 2 * Math.ceil(Math.log2(n));
    const random = seededRandom(7);
    let longestInclusion = 0;
    let longestConsistency = 0;
    for (let i = 0; i < 20_000; i++) {
      longestInclusion = Math.max(longestInclusion, inclusionProofRanges(Math.floor(random() * n), n).length);
      longestConsistency = Math.max(
        longestConsistency,
        consistencyProofRanges(1 + Math.floor(random() * (n - 1)), n).length,
      );
    }
    for (const m of [0, 1, n - 1, 524_287, 524_288, 999_423])
      longestInclusion = Math.max(longestInclusion, inclusionProofRanges(m, n).length);
    for (const m of [1, 2, 3, n - 1, 524_287, 524_289, 999_999])
      longestConsistency = Math.max(longestConsistency, consistencyProofRanges(m, n).length);
    expect(longestInclusion).toBeLessThanOrEqual(20);
    expect(longestInclusion).toBeGreaterThanOrEqual(19); // ⌈log₂ 10⁶⌉ = 20: the bound is not vacuous
    expect(longestConsistency).toBeLessThanOrEqual(bound);
    expect(longestConsistency).toBeGreaterThan(20);
  });
});
