import type { LogErrorCode } from '../errors/catalogue.js';
// C2SP signed-note keys: key IDs, and verifier keys `<name>+<8 hex key ID>+<base64(type || key)>`.
import { concatBytes, controlCharacterAt, fromBase64, toBase64, utf8 } from './lib/bytes.js';
import { ED25519_PUBLIC_KEY_SIZE, ed25519PublicKey } from './lib/ed25519.js';
import { logError } from './lib/errors.js';
import { sha256 } from './lib/sha256.js';

/** Signature type bytes (signed-note §Signature types) this toolkit uses. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Uint8Array;
}

/** Key names are non-empty, with no Unicode space, no '+' and no control character. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && controlCharacterAt(name) < 0;
}

export function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw logError(
      'LOG_KEY_NAME_INVALID',
      `${JSON.stringify(name)} is not a key name: it must be non-empty, with no spaces, '+' or control characters`,
    );
  }
}

/** key ID = SHA-256(name || 0x0A || type || public key)[:4], as a big-endian uint32. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const hash = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

export function formatVerifierKey(name: string, publicKey: Uint8Array, type: number = SIGNATURE_TYPE_ED25519): string {
  assertKeyName(name);
  assertKeyMaterial(type, publicKey);
  const id = keyId(name, type, publicKey).toString(16).padStart(8, '0');
  return `${name}+${id}+${toBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/** Parses a verifier key strictly: Ed25519 (0x01) and Ed25519 cosigner (0x04) keys, with a matching key ID. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const fail = (why: string, code: LogErrorCode = 'LOG_VKEY_MALFORMED') =>
    logError(code, `not a verifier key: ${why}`, { vkey });
  // The name has no '+' and the key ID is hex, so the first two '+' split; the base64 may hold more.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw fail('expected <name>+<key ID>+<base64 key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const material = vkey.slice(second + 1);
  if (!isValidKeyName(name)) throw fail('the key name is empty or has spaces or control characters');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw fail('the key ID is not 8 lowercase hex digits');
  const bytes = fromBase64(material);
  if (bytes === undefined || bytes.length < 2) throw fail('the key is not standard padded base64');
  const type = bytes[0]!;
  const publicKey = bytes.subarray(1);
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    const hex = type.toString(16).padStart(2, '0');
    throw fail(`signature type 0x${hex} is not supported (Ed25519 0x01, cosignature 0x04)`, 'LOG_VKEY_UNSUPPORTED');
  }
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw fail(`an Ed25519 key is 32 bytes, got ${publicKey.length}`);
  const id = keyId(name, type, publicKey);
  if (id !== parseInt(idHex, 16)) {
    throw fail(
      `the key ID ${idHex} does not match the key (${id.toString(16).padStart(8, '0')})`,
      'LOG_VKEY_KEY_ID_MISMATCH',
    );
  }
  return { name, keyId: id, type, publicKey };
}

function assertKeyMaterial(type: number, publicKey: Uint8Array): void {
  const supported = type === SIGNATURE_TYPE_ED25519 || type === SIGNATURE_TYPE_COSIGNATURE_V1;
  if (!supported || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw logError('LOG_VKEY_UNSUPPORTED', 'only 32-byte Ed25519 keys of type 0x01 or 0x04 are supported');
  }
}

/** The name, key ID and public key of a signer over a 32-byte Ed25519 secret key, for a signature type. */
export function namedEd25519Key(
  name: string,
  secretKey: Uint8Array,
  type: number,
): { readonly name: string; readonly keyId: number; readonly publicKey: Uint8Array } {
  assertKeyName(name);
  if (secretKey.length !== 32) {
    throw logError('LOG_KEY_INVALID', `an Ed25519 secret key is 32 bytes, got ${secretKey.length}`);
  }
  const publicKey = ed25519PublicKey(secretKey);
  return { name, keyId: keyId(name, type, publicKey), publicKey };
}
