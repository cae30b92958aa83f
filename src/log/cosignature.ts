// C2SP tlog-cosignature v1 (Ed25519, signature type 0x04): a witness signs
// "cosignature/v1\ntime <T>\n" + the checkpoint's note text, and the signature line carries
// key ID || uint64 big-endian T || 64-byte Ed25519 signature.
import { concatBytes, utf8 } from './lib/bytes.js';
import { ED25519_SIGNATURE_SIZE, ed25519Sign, ed25519Verify } from './lib/ed25519.js';
import { logError } from './lib/errors.js';
import type { NoteSignature, NoteSigner, NoteVerifier } from './note.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  keyId,
  parseVerifierKey,
  namedEd25519Key,
  type VerifierKey,
} from './verifier-key.js';

const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** The message a v1 cosignature signs, for a checkpoint text and a POSIX time in seconds. */
export function cosignatureMessage(checkpointText: string | Uint8Array, timestamp: number): Uint8Array {
  assertTimestamp(timestamp);
  const text = typeof checkpointText === 'string' ? utf8(checkpointText) : checkpointText;
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
}

/** The timestamp a v1 cosignature carries (its first 8 bytes after the key ID). */
export function cosignatureTimestamp(signature: NoteSignature | Uint8Array): number {
  const bytes = signature instanceof Uint8Array ? signature : signature.signature;
  if (bytes.length !== 8 + ED25519_SIGNATURE_SIZE) {
    throw logError(
      'LOG_COSIGNATURE_MALFORMED',
      `a v1 cosignature is ${8 + ED25519_SIGNATURE_SIZE} bytes after the key ID, got ${bytes.length}`,
    );
  }
  const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
  if (value > MAX_TIMESTAMP)
    throw logError('LOG_COSIGNATURE_TIMESTAMP_INVALID', 'the cosignature timestamp exceeds 2^63 − 1');
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw logError('LOG_COSIGNATURE_TIMESTAMP_INVALID', 'the cosignature timestamp is beyond any plausible time');
  return Number(value);
}

/** A witness (cosigner) over a 32-byte Ed25519 secret key; `now` gives the POSIX time to sign at. */
export function cosigner(
  name: string,
  secretKey: Uint8Array,
  now: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner & { readonly publicKey: Uint8Array } {
  return {
    ...namedEd25519Key(name, secretKey, SIGNATURE_TYPE_COSIGNATURE_V1),
    sign: (text) => {
      const timestamp = now();
      const message = cosignatureMessage(text, timestamp);
      const time = new Uint8Array(8);
      new DataView(time.buffer).setBigUint64(0, BigInt(timestamp), false);
      return concatBytes(time, ed25519Sign(message, secretKey));
    },
  };
}

/**
 * A note verifier for a witness's v1 cosignatures (key type 0x04), from a verifier key string or
 * the witness name and public key. `maxTimestamp` (POSIX seconds), when given, rejects later times.
 */
export function cosignatureVerifier(
  key: string | VerifierKey | { name: string; publicKey: Uint8Array },
  options: { maxTimestamp?: number } = {},
): NoteVerifier {
  const parsed: VerifierKey =
    typeof key === 'string'
      ? parseVerifierKey(key)
      : 'keyId' in key
        ? key
        : {
            name: key.name,
            publicKey: key.publicKey,
            type: SIGNATURE_TYPE_COSIGNATURE_V1,
            keyId: keyId(key.name, SIGNATURE_TYPE_COSIGNATURE_V1, key.publicKey),
          };
  if (parsed.type !== SIGNATURE_TYPE_COSIGNATURE_V1)
    throw logError('LOG_VKEY_UNSUPPORTED', `${parsed.name} is not a cosigner key (type 0x04)`);
  return {
    name: parsed.name,
    keyId: parsed.keyId,
    verify: (text, signature) => {
      let timestamp: number;
      try {
        timestamp = cosignatureTimestamp(signature);
      } catch {
        return false;
      }
      if (options.maxTimestamp !== undefined && timestamp > options.maxTimestamp) return false;
      const message = cosignatureMessage(text, timestamp);
      return ed25519Verify(signature.subarray(8), message, parsed.publicKey);
    },
  };
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw logError(
      'LOG_COSIGNATURE_TIMESTAMP_INVALID',
      `a timestamp is a non-negative integer of seconds, got ${timestamp}`,
    );
}
