import { randomBytes } from 'node:crypto';
import { digest as sdHasher } from '@sd-jwt/crypto-nodejs';

/** A fresh 128-bit salt, base64url (RFC 9901 §9.3 asks for at least 128 bits; the library default is 64). */
export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** The SD-JWT library's sha-256 hasher, shared by the SD-JWT format and the field commitments. */
export const sdJwtHasher = sdHasher;
