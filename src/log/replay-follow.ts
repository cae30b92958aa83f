// Following a log from its tiles, as a monitor or a witness does: verify the new checkpoint, prove
// it consistent with the last one verified, read the new entries (each authenticated against the
// checkpoint's root), replay the ledger's rules over them, and keep — in a plain JSON state — the
// verified checkpoint and the leaf hash of every entry verified so far, so that a past entry the log
// rewrote later is named, not merely noticed. No I/O: tiles come through a TileReader.
import type { ErrorCode } from '../errors/catalogue.js';
import { UntpCreditsError } from '../errors.js';
import { openCheckpoint, type OpenedCheckpoint } from './checkpoint.js';
import { CompactRange } from './compact-range.js';
import { consistencyProof, consistencyProofRanges } from './consistency-proof.js';
import { detectEquivocation, type EquivocationEvidence } from './equivocation.js';
import { HASH_SIZE, leafHash } from './hash.js';
import { bytesEqual, fromBase64, toBase64 } from './lib/bytes.js';
import { completeSubtrees } from './lib/subtrees.js';
import type { NoteVerifier } from './note.js';
import { LedgerReplay, emptyReplayState, type ReplayState } from './replay.js';
import { TILE_WIDTH } from './tile-path.js';
import {
  checkRootFromTiles,
  consistencyProofFromTiles,
  readEntriesFromTiles,
  TileHashSource,
  type TileReader,
  type TreeHead,
} from './tile-reader.js';

/** What a monitor or witness keeps between runs (plain JSON). */
export interface FollowState {
  readonly version: 1;
  readonly origin: string;
  /** The last verified checkpoint, as the signed note it was received as. */
  readonly checkpoint: string;
  readonly size: number;
  /** base64 of the leaf hashes of entries [0, size), 32 bytes each. */
  readonly leaves: string;
  readonly replay: ReplayState;
}

export interface FollowFailure {
  readonly code: ErrorCode;
  readonly message: string;
  /** The log index of the entry concerned, when there is one. */
  readonly index?: number;
  readonly seq?: number;
}

export interface FollowReport {
  readonly ok: boolean;
  readonly origin: string;
  /** Size verified before this run (0 without a state). */
  readonly previousSize: number;
  /** Size of the checkpoint offered (undefined when it could not be opened). */
  readonly size?: number;
  /** Entries read and replayed in this run. */
  readonly newEntries: number;
  readonly failures: readonly FollowFailure[];
  /** Both signed notes, when the log signed two checkpoints that cannot both be true. */
  readonly equivocation?: EquivocationEvidence;
  /** The state to keep: the new one when ok, the previous one (unchanged) otherwise. */
  readonly state?: FollowState;
}

export interface FollowOptions {
  readonly origin: string;
  /** Verifiers of the log key (several during a rotation); others (witnesses) may be added. */
  readonly verifiers: readonly NoteVerifier[];
  /** The checkpoint offered: a signed note text. */
  readonly note: string;
  readonly reader: TileReader;
  readonly state?: FollowState;
  /** Re-read every entry verified before and compare its hash (catches bundles edited under unchanged tiles). */
  readonly recheck?: boolean;
  /** Called as entries are read: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** How many rewritten entries to name at most (default 20). */
  readonly maxNamed?: number;
}

/** Entries read per step (a multiple of the tile width). */
const STEP = TILE_WIDTH * 16;

export function newFollowState(origin: string): FollowState {
  return { version: 1, origin, checkpoint: '', size: 0, leaves: '', replay: emptyReplayState() };
}

/** Checks a state read from a file: its shape, its origin, and that its leaves hash to its checkpoint. */
export function checkFollowState(value: unknown, origin: string, verifiers: readonly NoteVerifier[]): FollowState {
  const invalid = (why: string) => new UntpCreditsError('LOG_STATE_INVALID', `the state file ${why}`);
  const s = value as Partial<FollowState> | null;
  if (s === null || typeof s !== 'object' || s.version !== 1 || typeof s.leaves !== 'string' || !s.replay)
    throw invalid('is not a log follower state');
  if (s.origin !== origin) throw invalid(`is of log ${String(s.origin)}, not ${origin}`);
  const leaves = s.leaves === '' ? new Uint8Array() : fromBase64(s.leaves);
  if (leaves === undefined || leaves.length !== (s.size ?? -1) * HASH_SIZE) throw invalid('has leaves not of its size');
  if (s.size === 0) return s as FollowState;
  const opened = openCheckpoint(s.checkpoint ?? '', origin, verifiers);
  const range = new CompactRange();
  for (let at = 0; at < leaves.length; at += HASH_SIZE) range.appendLeafHash(leaves.subarray(at, at + HASH_SIZE));
  if (opened.checkpoint.size !== s.size || !bytesEqual(range.root(), opened.checkpoint.rootHash))
    throw invalid('holds leaves that do not hash to its checkpoint');
  return s as FollowState;
}

function failureOf(error: unknown): FollowFailure {
  if (error instanceof UntpCreditsError) {
    const index = error.details?.index;
    return { code: error.code, message: error.message, ...(typeof index === 'number' ? { index } : {}) };
  }
  return { code: 'LOG_TILE_MISSING', message: String((error as Error)?.message ?? error) };
}

/**
 * One step of a monitor or witness. Never throws for what the log serves: every problem is a
 * failure in the report (a broken rule names its entry; a rewrite names the entries that changed;
 * equivocation carries both signed notes).
 */
export async function followLog(options: FollowOptions): Promise<FollowReport> {
  const { origin, reader, note } = options;
  const state = options.state ?? newFollowState(origin);
  const previousSize = state.size;
  const base = { origin, previousSize, ...(options.state ? { state: options.state } : {}) };
  let opened: OpenedCheckpoint;
  try {
    opened = openCheckpoint(note, origin, options.verifiers);
  } catch (error) {
    return { ...base, ok: false, newEntries: 0, failures: [failureOf(error)] };
  }
  const head: TreeHead = opened.checkpoint;
  const size = head.size;
  const failures: FollowFailure[] = [];
  const leaves = state.leaves === '' ? new Uint8Array() : fromBase64(state.leaves)!;
  const leafAt = (i: number) => leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  const fail = (extra: Partial<FollowReport> = {}): FollowReport => ({
    ...base,
    size,
    ok: false,
    newEntries: 0,
    failures,
    ...extra,
  });

  // Names the entries [0, upTo) whose bytes changed since they were verified.
  const nameRewritten = async (upTo: number): Promise<void> => {
    const max = options.maxNamed ?? 20;
    let named = 0;
    try {
      for (let start = 0; start < upTo && named < max; start += STEP) {
        const end = Math.min(upTo, start + STEP);
        const entries = await readEntriesFromTiles(reader, head, start, end);
        entries.forEach((entry, i) => {
          if (named >= max || bytesEqual(leafHash(entry), leafAt(start + i))) return;
          named++;
          const seq = seqOf(entry);
          failures.push({
            code: 'LOG_ENTRY_REWRITTEN',
            index: start + i,
            ...(seq === undefined ? {} : { seq }),
            message: `entry ${start + i} is not the entry verified before: the log rewrote it`,
          });
        });
      }
    } catch (error) {
      failures.push(failureOf(error));
    }
  };

  if (options.state && previousSize > 0) {
    const old = openCheckpoint(state.checkpoint, origin, options.verifiers);
    const signedOld = { note: state.checkpoint, opened: old };
    const signedNew = { note, opened };
    if (size <= previousSize) {
      // The prefix of what we hold, recomputed from our own leaves.
      const range = new CompactRange();
      for (let i = 0; i < size; i++) range.appendLeafHash(leafAt(i));
      const same = bytesEqual(range.root(), head.rootHash);
      if (size === previousSize) {
        if (!same) {
          const equivocation = detectEquivocation(signedOld, signedNew)!;
          failures.push({ code: 'LOG_EQUIVOCATION', message: equivocation.message });
          await nameRewritten(size);
          return fail({ equivocation });
        }
      } else if (same) {
        failures.push({
          code: 'LOG_ROLLED_BACK',
          message: `the log serves a tree of size ${size}, smaller than the ${previousSize} entries verified before`,
        });
        return fail();
      } else {
        const equivocation: EquivocationEvidence = {
          kind: 'not-consistent',
          origin,
          notes: [note, state.checkpoint],
          sizes: [size, previousSize],
          rootHashes: [toBase64(head.rootHash), toBase64(old.checkpoint.rootHash)],
          message: `the log ${origin} signed a tree of size ${size} that is not a prefix of its tree of size ${previousSize}`,
        };
        failures.push({ code: 'LOG_EQUIVOCATION', message: equivocation.message });
        await nameRewritten(size);
        return fail({ equivocation });
      }
    } else {
      try {
        await checkRootFromTiles(reader, head);
      } catch (error) {
        failures.push(failureOf(error));
        return fail();
      }
      try {
        await consistencyProofFromTiles(reader, old.checkpoint, head);
      } catch (error) {
        if (!(error instanceof UntpCreditsError) || error.code !== 'LOG_NOT_CONSISTENT') {
          failures.push(failureOf(error));
          return fail();
        }
        // The tiles hash to the new, signed root, yet do not extend the old one: a fork.
        const source = new TileHashSource(reader, size);
        await source.load(consistencyProofRanges(previousSize, size).flatMap(([s, e]) => completeSubtrees(s, e)));
        const equivocation = detectEquivocation(signedOld, signedNew, consistencyProof(previousSize, size, source))!;
        failures.push({ code: 'LOG_EQUIVOCATION', message: equivocation.message });
        await nameRewritten(previousSize);
        return fail({ equivocation });
      }
    }
    if (options.recheck) {
      try {
        await nameRewritten(previousSize);
      } catch (error) {
        failures.push(failureOf(error));
      }
      if (failures.length > 0) return fail();
    }
  } else if (size > 0) {
    try {
      await checkRootFromTiles(reader, head);
    } catch (error) {
      failures.push(failureOf(error));
      return fail();
    }
  }

  // New entries, replayed.
  const replayState: ReplayState = structuredClone(state.replay);
  const replay = new LedgerReplay(replayState);
  const added: Uint8Array[] = [];
  const total = size - previousSize;
  for (let start = previousSize; start < size; start += STEP) {
    const end = Math.min(size, start + STEP);
    let entries: Uint8Array[];
    try {
      entries = await readEntriesFromTiles(reader, head, start, end);
    } catch (error) {
      failures.push(failureOf(error));
      return fail();
    }
    for (const entry of entries) {
      added.push(leafHash(entry));
      failures.push(...replay.apply(entry));
    }
    options.onProgress?.(end - previousSize, total);
  }
  if (failures.length > 0) return { ...fail(), newEntries: added.length };
  const next: FollowState = {
    version: 1,
    origin,
    checkpoint: size >= previousSize ? note : state.checkpoint,
    size: Math.max(size, previousSize),
    leaves: size > previousSize ? toBase64(appendHashes(leaves, added)) : state.leaves,
    replay: replayState,
  };
  return { ...base, size, ok: true, newEntries: added.length, failures, state: next };
}

function seqOf(entry: Uint8Array): number | undefined {
  try {
    const seq = (JSON.parse(new TextDecoder().decode(entry)) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

function appendHashes(leaves: Uint8Array, added: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(leaves.length + added.length * HASH_SIZE);
  out.set(leaves);
  added.forEach((hash, i) => out.set(hash, leaves.length + i * HASH_SIZE));
  return out;
}
