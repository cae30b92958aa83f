// Split-view (equivocation) evidence: two checkpoints signed by one log that cannot both be true —
// the same size with different roots, or a later tree that does not extend an earlier one. The
// evidence carries both signed notes, so anyone holding the log key can check it offline.
import { bytesEqual, toBase64 } from './lib/bytes.js';
import { logError } from './lib/errors.js';
import type { OpenedCheckpoint } from './checkpoint.js';
import { verifyConsistency } from './verify-consistency.js';

export interface SignedCheckpoint {
  /** The signed note text, exactly as received. */
  readonly note: string;
  /** The same checkpoint, opened (verified) with the log key. */
  readonly opened: OpenedCheckpoint;
}

export interface EquivocationEvidence {
  readonly kind: 'same-size-different-roots' | 'not-consistent';
  readonly origin: string;
  /** The two signed notes, smaller tree first. */
  readonly notes: readonly [string, string];
  readonly sizes: readonly [number, number];
  readonly rootHashes: readonly [string, string];
  /** For `not-consistent`: the consistency proof (base64) that failed, as served by the log. */
  readonly proof?: readonly string[];
  readonly message: string;
}

/**
 * Compares two verified checkpoints of one log. Returns evidence when they equivocate, undefined
 * when they agree. Checkpoints of different sizes need the consistency proof between them (from
 * the log's tiles at the larger size); a proof that does not verify is reported as evidence.
 */
export function detectEquivocation(
  a: SignedCheckpoint,
  b: SignedCheckpoint,
  proof?: readonly Uint8Array[],
): EquivocationEvidence | undefined {
  const [first, second] = a.opened.checkpoint.size <= b.opened.checkpoint.size ? [a, b] : [b, a];
  const x = first.opened.checkpoint;
  const y = second.opened.checkpoint;
  if (x.origin !== y.origin) {
    throw logError(
      'LOG_CHECKPOINT_ORIGIN_MISMATCH',
      `checkpoints of two logs (${x.origin}, ${y.origin}) cannot equivocate`,
    );
  }
  const base = {
    origin: x.origin,
    notes: [first.note, second.note] as const,
    sizes: [x.size, y.size] as const,
    rootHashes: [toBase64(x.rootHash), toBase64(y.rootHash)] as const,
  };
  if (x.size === y.size) {
    if (bytesEqual(x.rootHash, y.rootHash)) return undefined;
    return {
      kind: 'same-size-different-roots',
      ...base,
      message: `the log ${x.origin} signed two different trees of size ${x.size}`,
    };
  }
  if (proof === undefined) {
    throw logError(
      'LOG_CONSISTENCY_PROOF_REQUIRED',
      `checkpoints of sizes ${x.size} and ${y.size} are compared through a consistency proof`,
    );
  }
  if (verifyConsistency(x.size, y.size, x.rootHash, y.rootHash, proof)) return undefined;
  return {
    kind: 'not-consistent',
    ...base,
    proof: proof.map(toBase64),
    message: `the log ${x.origin} signed a tree of size ${y.size} that does not extend its tree of size ${x.size}`,
  };
}
