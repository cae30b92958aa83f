import { generateKeyPairSync } from 'node:crypto';
import { InvalidInputError } from '../errors.js';
import { publicJwkOf } from './jwk.js';
import type { PrivateJwk, PublicJwk, SignatureAlgorithm } from './types.js';

export interface GeneratedKeyPair {
  algorithm: SignatureAlgorithm;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

/**
 * A fresh key pair as JWKs: Ed25519 (EdDSA, the default), P-256 (ES256), P-384 (ES384) or P-521 (ES512, JOSE only).
 *
 * @example
 *   const { privateJwk, publicJwk } = generateKeyPair('ES256');
 */
export function generateKeyPair(algorithm: SignatureAlgorithm = 'EdDSA'): GeneratedKeyPair {
  let privateJwk: PrivateJwk;
  if (algorithm === 'EdDSA') {
    privateJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as PrivateJwk;
  } else if (algorithm === 'ES256' || algorithm === 'ES384' || algorithm === 'ES512') {
    const namedCurve = algorithm === 'ES256' ? 'P-256' : algorithm === 'ES384' ? 'P-384' : 'P-521';
    privateJwk = generateKeyPairSync('ec', { namedCurve }).privateKey.export({ format: 'jwk' }) as PrivateJwk;
  } else {
    throw new InvalidInputError(
      'KEY_TYPE_UNSUPPORTED',
      `algorithm ${String(algorithm)} is not supported (EdDSA, ES256, ES384, ES512)`,
    );
  }
  return { algorithm, privateJwk, publicJwk: publicJwkOf(privateJwk) };
}
