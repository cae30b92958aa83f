import { Gunzip, gzipSync as portableGzip } from 'fflate';
import { decodeBase64url, encodeBase64url } from '../lib/base64url.js';
import { concatBytes } from '../lib/bytes.js';
import { nodeZlib } from '../lib/platform.js';
import { UntpCreditsError } from '../errors.js';

/**
 * Bitstring Status List v1.0, the pure part: a list is a bitstring whose bit `i` (counted from the
 * most significant bit of the first byte, as the specification orders them) is set when the
 * credential holding index `i` is revoked. Published as `encodedList` = multibase `u` (base64url,
 * no padding) of the GZIP of the bitstring. No I/O here.
 */

/** The minimum list length the specification asks for (16 KiB), which gives group privacy. */
export const MIN_STATUS_LIST_SIZE = 131_072;

/** A fresh, all-clear bitstring of `size` bits (a multiple of 8, at least 131 072). */
export function emptyBitstring(size = MIN_STATUS_LIST_SIZE): Uint8Array {
  if (!Number.isInteger(size) || size < MIN_STATUS_LIST_SIZE || size % 8 !== 0) {
    throw new UntpCreditsError(
      'STATUS_LIST_SIZE_INVALID',
      `a status list needs at least ${MIN_STATUS_LIST_SIZE} entries and a multiple of 8, got ${size}`,
    );
  }
  return new Uint8Array(size / 8);
}

function checkIndex(bits: Uint8Array, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new UntpCreditsError(
      'STATUS_INDEX_OUT_OF_RANGE',
      `status list index ${index} is outside 0..${bits.length * 8 - 1}`,
      { path: '/statusListIndex' },
    );
  }
}

/**
 * Reads bit `index`.
 *
 * @example
 *   getBit(setBit(emptyBitstring(), 7), 7); // true
 */
export function getBit(bits: Uint8Array, index: number): boolean {
  checkIndex(bits, index);
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** Returns a copy of `bits` with bit `index` set (the input is not modified). */
export function setBit(bits: Uint8Array, index: number): Uint8Array {
  checkIndex(bits, index);
  const copy = new Uint8Array(bits);
  copy[index >> 3] = (copy[index >> 3] ?? 0) | (0x80 >> (index & 7));
  return copy;
}

/**
 * The `encodedList` of a bitstring: `u` + base64url(gzip(bits)).
 *
 * @example
 *   encodeBitstring(emptyBitstring()); // 'uH4sIAAAAAAAA…'
 */
export function encodeBitstring(bits: Uint8Array): string {
  const zlib = nodeZlib();
  return `u${encodeBase64url(zlib ? zlib.gzipSync(bits) : portableGzip(bits))}`;
}

/** The largest list decoded: 16 MiB (2^27 entries). A bigger one is refused, so a gzip bomb cannot exhaust memory. */
export const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

/** gunzip in pure JS (a browser bundle), stopping with a RangeError as soon as the output passes `limit`. */
function boundedGunzip(compressed: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const gunzip = new Gunzip((chunk) => {
    size += chunk.length;
    if (size > limit) throw new RangeError(`output beyond ${limit} bytes`);
    chunks.push(chunk);
  });
  gunzip.push(compressed, true);
  return concatBytes(...chunks);
}

/** Decodes an `encodedList` back to the bitstring (at most MAX_STATUS_LIST_BYTES). Code: STATUS_LIST_INVALID. */
export function decodeBitstring(encodedList: string): Uint8Array {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new UntpCreditsError('STATUS_LIST_INVALID', 'encodedList must be a multibase base64url (u…) string', {
      path: '/credentialSubject/encodedList',
    });
  }
  try {
    const compressed = decodeBase64url(encodedList.slice(1));
    const zlib = nodeZlib();
    if (zlib) return new Uint8Array(zlib.gunzipSync(compressed, { maxOutputLength: MAX_STATUS_LIST_BYTES }));
    return boundedGunzip(compressed, MAX_STATUS_LIST_BYTES);
  } catch (error) {
    const tooBig =
      (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ||
      (error as { code?: string }).code === 'ERR_OUT_OF_RANGE' ||
      error instanceof RangeError;
    throw new UntpCreditsError(
      'STATUS_LIST_INVALID',
      tooBig
        ? `encodedList expands beyond ${MAX_STATUS_LIST_BYTES} bytes; refused`
        : `encodedList is not GZIP-compressed base64url: ${(error as Error).message}`,
      { path: '/credentialSubject/encodedList' },
    );
  }
}

/** A BitstringStatusListEntry (revocation purpose, integer index as the UNTP schema requires). */
export interface StatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: number;
  statusListCredential: string;
}

/**
 * The entry a credential carries for index `index` of list `listUrl`.
 *
 * @example
 *   statusEntry('https://registry.example/status/1', 94567);
 */
export function statusEntry(listUrl: string, index: number): StatusListEntry {
  return {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: index,
    statusListCredential: listUrl,
  };
}

/**
 * The unsigned BitstringStatusListCredential (VCDM 2.0) publishing `bits` at `listUrl`.
 *
 * @example
 *   buildStatusListCredential({ url, issuer: 'did:web:registry.example', bits, validFrom: new Date().toISOString() });
 */
export function buildStatusListCredential(input: {
  url: string;
  issuer: string;
  bits: Uint8Array;
  validFrom: string;
  /** Default revocation. */
  statusPurpose?: 'revocation' | 'suspension';
  /** Bitstring Status List §2.2: how long (ms) a verifier may cache the list. */
  ttl?: number;
  /** Optional: the latest time a verifier may use the list (VCDM validUntil). */
  validUntil?: string;
}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom,
    ...(input.validUntil === undefined ? {} : { validUntil: input.validUntil }),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.statusPurpose ?? 'revocation',
      encodedList: encodeBitstring(input.bits),
      ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
    },
  };
}

/** The result of checking one entry against one list. */
export interface StatusEntryCheck {
  /** A set bit: `suspended` on a suspension list, `revoked` otherwise. */
  status: 'valid' | 'revoked' | 'suspended';
  message?: string;
}

/**
 * Pure status check: is the bit of `entry` set in `listCredential` (the unsigned status-list
 * credential, e.g. the payload of its JWS)? Refuses a list that is not the one the entry names or
 * has another purpose. Codes: STATUS_ENTRY_INVALID, STATUS_LIST_MISMATCH, STATUS_LIST_INVALID,
 * STATUS_INDEX_OUT_OF_RANGE.
 *
 * @example
 *   checkStatusEntry(credential.credentialStatus, jwsPayload(listJws)); // { status: 'revoked' }
 */
export function checkStatusEntry(
  entry: Record<string, unknown>,
  listCredential: Record<string, unknown>,
): StatusEntryCheck {
  const raw = entry.statusListIndex;
  const index = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new UntpCreditsError('STATUS_ENTRY_INVALID', 'statusListIndex must be a non-negative integer', {
      path: '/statusListIndex',
    });
  }
  if (typeof entry.statusListCredential !== 'string') {
    throw new UntpCreditsError('STATUS_ENTRY_INVALID', 'statusListCredential must be a URL', {
      path: '/statusListCredential',
    });
  }
  if (listCredential.id !== entry.statusListCredential) {
    throw new UntpCreditsError(
      'STATUS_LIST_MISMATCH',
      `the list is ${String(listCredential.id)}, the entry names ${entry.statusListCredential}`,
      { path: '/id' },
    );
  }
  const subject = listCredential.credentialSubject as Record<string, unknown> | undefined;
  const purposes = [subject?.statusPurpose].flat();
  const purpose = entry.statusPurpose ?? 'revocation';
  if (!subject || !purposes.includes(purpose)) {
    throw new UntpCreditsError('STATUS_LIST_MISMATCH', `the list's statusPurpose is not ${String(purpose)}`, {
      path: '/credentialSubject/statusPurpose',
    });
  }
  const bits = decodedForLookup(subject.encodedList as string);
  return getBit(bits, index)
    ? {
        status: purpose === 'suspension' ? 'suspended' : 'revoked',
        message: `bit ${index} of ${entry.statusListCredential} is set (${String(purpose)})`,
      }
    : { status: 'valid' };
}

// Decoded lists keyed by the exact encodedList text: the same text always decodes to the same
// bits, so a verifier checking many credentials against one list gunzips it once. Read-only use
// only (getBit); decodeBitstring() still returns a fresh copy for callers that set bits.
const LOOKUP_CACHE_SIZE = 16;
const decodedLists = new Map<string, Uint8Array>();

function decodedForLookup(encodedList: string): Uint8Array {
  const cached = decodedLists.get(encodedList);
  if (cached) return cached;
  const bits = decodeBitstring(encodedList);
  if (decodedLists.size >= LOOKUP_CACHE_SIZE) decodedLists.delete(decodedLists.keys().next().value as string);
  decodedLists.set(encodedList, bits);
  return bits;
}
