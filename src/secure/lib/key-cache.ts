import type { KeyObject } from 'node:crypto';
import type { PublicJwk } from '../../keys/types.js';
import { nodeCrypto } from '../../lib/platform.js';

// Importing a JWK costs about as much as an Ed25519 verification; bulk verification sees few
// distinct issuer keys, so the imported KeyObject is kept, keyed by the key material itself
// (never by a key id, which a DID document may rebind). Bounded: oldest entry out first.
const MAX_KEYS = 256;
const keys = new Map<string, KeyObject>();

/**
 * The node:crypto public key of a JWK, imported once per distinct key material; undefined where the
 * runtime has no node:crypto (raw-signature.ts then verifies with @noble/curves). Throws on an invalid JWK.
 */
export function publicKeyObject(jwk: PublicJwk): KeyObject | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}`;
  let key = keys.get(id);
  if (key === undefined) {
    key = crypto.createPublicKey({
      key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y !== undefined ? { y: jwk.y } : {}) },
      format: 'jwk',
    });
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(id, key);
  }
  return key;
}
