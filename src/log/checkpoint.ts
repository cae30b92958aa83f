// C2SP tlog-checkpoint: the note text `<origin>\n<tree size>\n<base64 root hash>\n[extension lines]`,
// signed as a signed note. Here the origin is the log's URL prefix without scheme and is also the
// name of the log's key, and a checkpoint is accepted only with a valid signature by that key.
import { HASH_SIZE } from './hash.js';
import { controlCharacterAt, fromBase64, toBase64 } from './lib/bytes.js';
import { logError } from './lib/errors.js';
import { openNote, parseSignedNote, signNote, type NoteSigner, type NoteVerifier, type OpenedNote } from './note.js';
import { isValidKeyName } from './verifier-key.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (not recommended; this log writes none). */
  readonly extensions: readonly string[];
}

/** The origin of a log served under a URL prefix: the prefix without scheme and trailing slashes. */
export function logOrigin(prefix: string): string {
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    throw logError('LOG_ORIGIN_INVALID', `${JSON.stringify(prefix)} is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw logError('LOG_ORIGIN_INVALID', `a log prefix is an http(s) URL, got ${url.protocol}`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw logError('LOG_ORIGIN_INVALID', 'a log prefix has no query, fragment or credentials');
  }
  const origin = `${url.host}${url.pathname}`.replace(/\/+$/, '');
  if (!isValidKeyName(origin)) throw logError('LOG_ORIGIN_INVALID', `${JSON.stringify(origin)} cannot be a key name`);
  return origin;
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin))
    throw logError('LOG_CHECKPOINT_ORIGIN_INVALID', 'the origin must be a valid key name');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0)
    throw logError('LOG_CHECKPOINT_SIZE_INVALID', 'the tree size must be a non-negative integer');
  if (checkpoint.rootHash.length !== HASH_SIZE)
    throw logError('LOG_CHECKPOINT_ROOT_INVALID', `the root hash is ${HASH_SIZE} bytes`);
  for (const line of checkpoint.extensions) {
    if (line === '' || controlCharacterAt(line) >= 0)
      throw logError('LOG_CHECKPOINT_EXTENSION_INVALID', 'extension lines are non-empty, without control characters');
  }
  return (
    [checkpoint.origin, String(checkpoint.size), toBase64(checkpoint.rootHash), ...checkpoint.extensions].join('\n') +
    '\n'
  );
}

/** Parses a checkpoint's note text (not the signatures) strictly. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw logError('LOG_CHECKPOINT_MALFORMED', 'the checkpoint text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3)
    throw logError('LOG_CHECKPOINT_MALFORMED', `a checkpoint has at least 3 lines, got ${lines.length}`);
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (!isValidKeyName(origin)) {
    throw logError(
      'LOG_CHECKPOINT_ORIGIN_INVALID',
      `the origin line ${JSON.stringify(origin)} is empty or has spaces or '+'`,
    );
  }
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw logError(
      'LOG_CHECKPOINT_SIZE_INVALID',
      `the tree size line ${JSON.stringify(size)} is not a decimal integer without leading zeros`,
    );
  }
  const rootHash = fromBase64(root);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) {
    throw logError(
      'LOG_CHECKPOINT_ROOT_INVALID',
      `the root hash line is not the standard base64 of ${HASH_SIZE} bytes`,
    );
  }
  const empty = extensions.findIndex((line) => line === '');
  if (empty >= 0) throw logError('LOG_CHECKPOINT_EXTENSION_INVALID', `extension line ${empty + 1} is empty`);
  return { origin, size: Number(size), rootHash, extensions };
}

/** Signs a checkpoint with the log key (whose name must be the origin) and any further signers. */
export async function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): Promise<string> {
  if (!signers.some((s) => s.name === checkpoint.origin)) {
    throw logError('LOG_CHECKPOINT_ORIGIN_MISMATCH', `no signer is named after the origin ${checkpoint.origin}`);
  }
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * Verifies a signed checkpoint of the log `origin`: the origin line must match, and a signature by
 * a log key (a verifier named `origin`) must verify. Other known keys (witnesses) may verify too;
 * unknown signatures are ignored.
 */
export function openCheckpoint(
  input: string | Uint8Array,
  origin: string,
  verifiers: readonly NoteVerifier[],
): OpenedCheckpoint {
  const logKeys = verifiers.filter((v) => v.name === origin);
  if (logKeys.length === 0)
    throw logError('LOG_CHECKPOINT_NO_LOG_KEY', `no verifier key is named after the log origin ${origin}`);
  const parsed = parseSignedNote(input);
  const checkpoint = parseCheckpoint(parsed.text);
  if (checkpoint.origin !== origin) {
    throw logError(
      'LOG_CHECKPOINT_ORIGIN_MISMATCH',
      `the checkpoint is of log ${checkpoint.origin}, expected ${origin}`,
      {
        origin: checkpoint.origin,
        expected: origin,
      },
    );
  }
  const note = openNote(input, verifiers);
  if (!note.verified.some((s) => s.name === origin)) {
    throw logError('LOG_NOTE_UNVERIFIED', `the checkpoint carries no valid signature by the log key ${origin}`);
  }
  return { checkpoint, note };
}
