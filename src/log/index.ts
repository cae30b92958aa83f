// The transparency log's pure core (docs/transparency-log.md): RFC 9162 §2.1 hashing and proofs.
// Nothing here does I/O or needs node: built-ins, so a browser verifier can use it as it is.
export { HASH_SIZE, leafHash, nodeHash, emptyRootHash } from './hash.js';
export { CompactRange, type StoredHash } from './compact-range.js';
export { MemoryTree } from './tree.js';
export { inclusionProof, inclusionProofRanges } from './inclusion-proof.js';
export { consistencyProof, consistencyProofRanges } from './consistency-proof.js';
export { verifyInclusion, rootFromInclusionProof } from './verify-inclusion.js';
export { verifyConsistency } from './verify-consistency.js';
export type { HashSource, SubtreePosition } from './lib/subtrees.js';
