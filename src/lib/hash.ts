import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { nodeCrypto } from './platform.js';

/**
 * SHA-256 and SHA-384, synchronous everywhere: node:crypto where the runtime has it (native, fast),
 * @noble/hashes elsewhere (a browser bundle). Both give the same bytes (test/lib/platform.test.ts).
 */
export type HashName = 'sha256' | 'sha384';

const encoder = new TextEncoder();

export function hash(name: HashName, data: Uint8Array | string): Uint8Array {
  const crypto = nodeCrypto();
  if (crypto) {
    const digest = crypto.createHash(name).update(data).digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
  }
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return name === 'sha256' ? nobleSha256(bytes) : nobleSha384(bytes);
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return hash('sha256', data);
}

/** Cryptographically random bytes (node:crypto or WebCrypto, which every browser and Node 20 has). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}
