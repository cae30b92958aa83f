// Log entries: the RFC 8785 (JCS) canonical JSON of one ledger event, under 65 535 bytes so that an
// entry bundle's uint16 length prefix holds it. Only plain JSON values are accepted (no undefined,
// NaN, Infinity, lone surrogates, class instances or toJSON tricks), so the bytes are a function
// of the data alone and every implementation of JCS reproduces them.
import canonicalize from 'canonicalize';
import { base58btc } from 'multiformats/bases/base58';
import { LONE_SURROGATE, concatBytes, utf8 } from './lib/bytes.js';
import { logError } from './lib/errors.js';
import { sha256 } from './lib/sha256.js';

/** Entries are strictly smaller than 65 535 bytes. */
export const MAX_LOG_ENTRY_SIZE = 65_534;

/** The JCS bytes of a JSON value, after a strict check that it is plain JSON. */
export function canonicalJson(value: unknown): Uint8Array {
  assertPlainJson(value, '');
  return utf8(canonicalize(value)!);
}

/** The log entry of an event: its canonical JSON, refused when it would not fit a bundle. */
export function logEntry(event: Record<string, unknown>): Uint8Array {
  if (!isPlainObject(event)) throw logError('LOG_ENTRY_NOT_JSON', 'a log entry is a JSON object', undefined, '');
  const bytes = canonicalJson(event);
  if (bytes.length > MAX_LOG_ENTRY_SIZE) {
    throw logError(
      'LOG_ENTRY_TOO_LARGE',
      `the entry is ${bytes.length} bytes; entries are at most ${MAX_LOG_ENTRY_SIZE}`,
      { size: bytes.length },
    );
  }
  return bytes;
}

/**
 * The digest of a block list (or any JSON value), in the toolkit's digestMultibase form: base58btc
 * multibase of the sha2-256 multihash of its canonical JSON.
 */
export function jsonDigestMultibase(value: unknown): string {
  return base58btc.encode(concatBytes(Uint8Array.of(0x12, 0x20), sha256(canonicalJson(value))));
}

export interface EventEntriesOptions {
  /** The property of the event that holds its block list (default `blocks`). */
  readonly field?: string;
  /** Upper bound of each entry (default MAX_LOG_ENTRY_SIZE; lower it to test the split). */
  readonly maxSize?: number;
}

/**
 * The entries of one ledger event. If the event with its whole block list fits one entry, that is
 * the only entry. Otherwise the first entry carries, in place of the list, `blockCount`,
 * `blocksDigest` (jsonDigestMultibase of the whole list) and `blockParts`, and each following
 * entry `{ seq, type: 'blocks', part, blocks }` carries the next slice — so a monitor can replay
 * the blocks and check the digest, and no entry outgrows its length prefix.
 */
export function eventEntries(event: Record<string, unknown>, options: EventEntriesOptions = {}): Uint8Array[] {
  const field = options.field ?? 'blocks';
  const maxSize = options.maxSize ?? MAX_LOG_ENTRY_SIZE;
  const whole = canonicalJson(event);
  if (whole.length <= maxSize) return [whole];
  const blocks = event[field];
  if (!Array.isArray(blocks)) {
    throw logError(
      'LOG_ENTRY_TOO_LARGE',
      `the event is ${whole.length} bytes and has no block list "${field}" to split`,
      { size: whole.length },
    );
  }
  // Greedy packing on sizes measured once per block: a part's JCS is its envelope plus its
  // blocks' JCS joined by commas (JCS of an array is exactly that).
  const parts: unknown[][] = [];
  let current: unknown[] = [];
  let currentSize = 0;
  let envelope = partEntry(event, 0, []).length;
  for (const block of blocks) {
    const size = canonicalJson(block).length;
    if (current.length > 0 && envelope + currentSize + 1 + size > maxSize) {
      parts.push(current);
      current = [];
      currentSize = 0;
      envelope = partEntry(event, parts.length, []).length;
    }
    currentSize += (current.length > 0 ? 1 : 0) + size;
    current.push(block);
  }
  if (current.length > 0) parts.push(current);
  const head: Record<string, unknown> = {
    ...event,
    blockCount: blocks.length,
    blocksDigest: jsonDigestMultibase(blocks),
    blockParts: parts.length,
  };
  delete head[field];
  const entries = [canonicalJson(head), ...parts.map((slice, i) => partEntry(event, i, slice))];
  const tooLarge = entries.findIndex((e) => e.length > maxSize);
  if (tooLarge >= 0) {
    throw logError(
      'LOG_ENTRY_TOO_LARGE',
      `entry ${tooLarge} of the split event is still ${entries[tooLarge]!.length} bytes`,
      { size: entries[tooLarge]!.length },
    );
  }
  return entries;
}

function partEntry(event: Record<string, unknown>, part: number, blocks: unknown[]): Uint8Array {
  return canonicalJson({ seq: event.seq, type: 'blocks', part, blocks });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function assertPlainJson(value: unknown, path: string): void {
  const fail = (why: string) => logError('LOG_ENTRY_NOT_JSON', `${path || 'the value'}: ${why}`, undefined, path);
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw fail('a string holds a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw fail(`${value} is not a JSON number`);
      return;
    case 'boolean':
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw fail(`element ${i} is a hole`);
          assertPlainJson(value[i], `${path}/${i}`);
        }
        return;
      }
      if (!isPlainObject(value)) throw fail('only plain objects and arrays are JSON');
      for (const [key, member] of Object.entries(value)) {
        const pointer = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (LONE_SURROGATE.test(key))
          throw logError('LOG_ENTRY_NOT_JSON', `${pointer}: a property name holds a lone surrogate`, { path: pointer });
        assertPlainJson(member, pointer);
      }
      return;
    default:
      throw fail(`${typeof value} is not JSON`);
  }
}
