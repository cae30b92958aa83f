// The transparency log's pure core (docs/transparency-log.md). Nothing here does I/O or needs
// node: built-ins, so a browser verifier can use it as it is; readers of tiles are pluggable.

// RFC 9162 §2.1: hashing, the incremental tree, proofs and their verification
export { HASH_SIZE, leafHash, nodeHash, emptyRootHash } from './hash.js';
export { CompactRange, type StoredHash } from './compact-range.js';
export { MemoryTree } from './tree.js';
export { inclusionProof, inclusionProofRanges } from './inclusion-proof.js';
export { consistencyProof, consistencyProofRanges } from './consistency-proof.js';
export { verifyInclusion, rootFromInclusionProof } from './verify-inclusion.js';
export { verifyConsistency } from './verify-consistency.js';
export type { HashSource, SubtreePosition } from './lib/subtrees.js';

// C2SP tlog-tiles
export { TILE_HEIGHT, TILE_WIDTH, tilePath, parseTilePath, type Tile } from './tile-path.js';
export {
  MAX_ENTRY_SIZE,
  tilesForSize,
  newTiles,
  tileWidthAt,
  hashTileData,
  parseHashTile,
  encodeEntryBundle,
  decodeEntryBundle,
} from './tiles.js';
export {
  mapTileReader,
  readTile,
  TileHashSource,
  checkRootFromTiles,
  inclusionProofFromTiles,
  consistencyProofFromTiles,
  readEntriesFromTiles,
  type TileReader,
  type TreeHead,
} from './tile-reader.js';

// C2SP signed-note, tlog-checkpoint, tlog-cosignature
export {
  SIGNATURE_TYPE_ED25519,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  keyId,
  formatVerifierKey,
  parseVerifierKey,
  isValidKeyName,
  type VerifierKey,
} from './verifier-key.js';
export {
  MAX_NOTE_SIZE,
  MAX_NOTE_SIGNATURES,
  parseSignedNote,
  formatSignedNote,
  signNote,
  openNote,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  type NoteSignature,
  type SignedNote,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './note.js';
export {
  logOrigin,
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  openCheckpoint,
  type Checkpoint,
  type OpenedCheckpoint,
} from './checkpoint.js';
export { cosignatureMessage, cosignatureTimestamp, cosigner, cosignatureVerifier } from './cosignature.js';
export { detectEquivocation, type EquivocationEvidence, type SignedCheckpoint } from './equivocation.js';

// Log entries
export {
  MAX_LOG_ENTRY_SIZE,
  canonicalJson,
  logEntry,
  eventEntries,
  jsonDigestMultibase,
  type EventEntriesOptions,
} from './entry.js';
