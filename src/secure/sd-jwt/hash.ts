import { encodeBase64url } from '../../lib/base64url.js';
import { randomBytes, sha256 } from '../../lib/hash.js';
import { UntpCreditsError } from '../../errors.js';

/** A fresh 128-bit salt, base64url (RFC 9901 §9.3 asks for at least 128 bits; the library default is 64). */
export function newSalt(): string {
  return encodeBase64url(randomBytes(16));
}

/**
 * The SD-JWT hasher (the library's `Hasher` shape), shared by the SD-JWT format and the field
 * commitments: sha-256 only, the one `_sd_alg` this toolkit issues and accepts.
 */
export function sdJwtHasher(data: string | ArrayBuffer, algorithm: string = 'sha-256'): Uint8Array {
  if (algorithm.toLowerCase() !== 'sha-256')
    throw new UntpCreditsError(
      'SD_ALG_UNSUPPORTED',
      `the SD-JWT hash algorithm ${algorithm} is not supported (sha-256 only)`,
    );
  return sha256(typeof data === 'string' ? data : new Uint8Array(data));
}
