import { base58btc } from 'multiformats/bases/base58';
import { base64url } from 'multiformats/bases/base64';
import { create as createDigest } from 'multiformats/hashes/digest';
import { InvalidInputError } from '../errors.js';
import { decodeBase64urlText } from './base64url.js';
import { sha256 } from './hash.js';

/**
 * The one digest definition of the toolkit, used wherever one credential cites another
 * (retirement → issuance, DPP → retirement, bundles): `digestMultibase` = multibase base58btc
 * (`z…`) of a sha2-256 multihash over the exact bytes of the compact JWS (the signed credential as
 * published). Base64url multibase (`u…`) is accepted on input.
 */

const SHA2_256 = 0x12;
const ENVELOPE_PREFIX = 'data:application/vc+jwt,';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/**
 * The digestMultibase of some bytes (a string is taken as its UTF-8 bytes).
 *
 * @example
 *   digestMultibase('eyJhbGciOiJFZERTQSJ9.eyJ…}.sig'); // 'zQm…'
 */
export function digestMultibase(bytes: Uint8Array | string): string {
  return base58btc.encode(createDigest(SHA2_256, sha256(toBytes(bytes))).bytes);
}

/** Decodes a digestMultibase (`z` base58btc or `u` base64url) to its sha2-256 digest bytes. */
export function decodeDigestMultibase(digest: string, path?: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (digest.startsWith('z')) bytes = base58btc.decode(digest);
    else if (digest.startsWith('u')) bytes = base64url.decode(digest);
    else throw new Error('unsupported multibase prefix');
  } catch (error) {
    throw new InvalidInputError(
      'DIGEST_INVALID',
      `not a z (base58btc) or u (base64url) multibase digest: ${(error as Error).message}`,
      path,
    );
  }
  if (bytes.length !== 34 || bytes[0] !== SHA2_256 || bytes[1] !== 32) {
    throw new InvalidInputError('DIGEST_INVALID', 'the digest is not a sha2-256 multihash', path);
  }
  return bytes.subarray(2);
}

/**
 * True when `digest` (z… or u…) is the sha2-256 multihash of `bytes`. Throws DIGEST_INVALID
 * when `digest` is not a sha2-256 multibase multihash at all.
 *
 * @example
 *   checkDigest(jws, 'zQm…'); // true or false
 */
export function checkDigest(bytes: Uint8Array | string, digest: string): boolean {
  const expected = decodeDigestMultibase(digest);
  const actual = decodeDigestMultibase(digestMultibase(bytes));
  return expected.length === actual.length && expected.every((byte, i) => byte === actual[i]);
}

/**
 * The compact JWS a file holds: the file itself (a compact JWS, whitespace trimmed) or an
 * enveloped credential JSON whose id is `data:application/vc+jwt,<JWS>`. The digest of a signed
 * credential is always taken over these JWS bytes, never over the file's JSON.
 * Code: JWS_NOT_FOUND.
 *
 * @example
 *   digestMultibase(jwsOf(readFileSync('retirement.jwt', 'utf8')));
 */
export function jwsOf(text: string): string {
  const trimmed = text.trim();
  if (COMPACT_JWS.test(trimmed)) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new InvalidInputError('JWS_NOT_FOUND', 'neither a compact JWS nor JSON');
  }
  const id = (parsed as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id.startsWith(ENVELOPE_PREFIX)) {
    const jws = id.slice(ENVELOPE_PREFIX.length);
    if (COMPACT_JWS.test(jws)) return jws;
  }
  throw new InvalidInputError(
    'JWS_NOT_FOUND',
    `JSON without an enveloped credential id (${ENVELOPE_PREFIX}<JWS>)`,
    '/id',
  );
}

/** Decodes the payload of a compact JWS as JSON (no signature check). Code: JWS_INVALID. */
export function jwsPayload(jws: string): Record<string, unknown> {
  const part = jws.split('.')[1];
  try {
    if (part === undefined) throw new Error('no payload');
    const payload = JSON.parse(decodeBase64urlText(part)) as unknown;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new Error('payload is not a JSON object');
    return payload as Record<string, unknown>;
  } catch (error) {
    throw new InvalidInputError('JWS_INVALID', `not a compact JWS with a JSON payload: ${(error as Error).message}`);
  }
}
