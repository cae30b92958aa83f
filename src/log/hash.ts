// RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256: leaves and interior nodes are domain-separated by a
// one-byte prefix, so a leaf can never be passed off as a node (second-preimage resistance).
import { sha256 } from './lib/sha256.js';

export const HASH_SIZE = 32;

/** MTH({d(0)}) = SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Uint8Array {
  // One buffer and one update: noble's streaming API costs ~3× a single call on inputs this short.
  const input = new Uint8Array(entry.length + 1);
  input.set(entry, 1);
  return sha256(input);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + 2 * HASH_SIZE);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256(input);
}

/** MTH({}) = SHA-256() — the root of the empty tree. */
export function emptyRootHash(): Uint8Array {
  return sha256(new Uint8Array(0));
}
