import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import * as base64url from 'jose/base64url';
import type { PublicJwk, SignatureAlgorithm } from '../../keys/types.js';
import { nodeCrypto } from '../../lib/platform.js';
import { publicKeyObject } from './key-cache.js';

/** Checks a raw JOSE-form signature (Ed25519, or ECDSA r‖s) over `data`. Never throws; false on any failure. */
export function verifyRawSignature(
  algorithm: SignatureAlgorithm,
  publicJwk: PublicJwk,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    const size = algorithm === 'EdDSA' || algorithm === 'ES256' ? 64 : algorithm === 'ES384' ? 96 : 132;
    if (signature.length !== size) return false;
    const crypto = nodeCrypto();
    const key = publicKeyObject(publicJwk);
    if (crypto && key) {
      if (algorithm === 'EdDSA') return crypto.verify(null, data, key, signature);
      const hash = algorithm === 'ES256' ? 'sha256' : algorithm === 'ES384' ? 'sha384' : 'sha512';
      return crypto.verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return portableVerify(algorithm, publicJwk, data, signature);
  } catch {
    return false;
  }
}

/** The same check in pure JS (a browser bundle): @noble/curves, high-S ECDSA accepted as node:crypto does. */
function portableVerify(
  algorithm: SignatureAlgorithm,
  jwk: PublicJwk,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const x = base64url.decode(jwk.x);
  if (algorithm === 'EdDSA') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && ed25519.verify(signature, data, x);
  if (jwk.kty !== 'EC' || jwk.y === undefined) return false;
  const curve = algorithm === 'ES256' ? p256 : algorithm === 'ES384' ? p384 : p521;
  if (jwk.crv !== (algorithm === 'ES256' ? 'P-256' : algorithm === 'ES384' ? 'P-384' : 'P-521')) return false;
  const point = new Uint8Array(1 + 2 * x.length);
  point[0] = 4;
  point.set(x, 1);
  point.set(base64url.decode(jwk.y), 1 + x.length);
  return curve.verify(signature, data, point, { lowS: false });
}
