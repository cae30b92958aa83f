import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { InvalidInputError } from '../errors.js';
import { algorithmOfJwk } from './jwk.js';
import type { PrivateJwk, Signer, SignatureAlgorithm } from './types.js';

/**
 * A Signer over a private JWK held in memory (a key file). A KMS or HSM implements `Signer` instead.
 *
 * @example
 *   const signer = createLocalSigner(privateJwk, 'did:web:example.com#key-1');
 */
export function createLocalSigner(privateJwk: PrivateJwk, keyId: string): Signer {
  const algorithm = algorithmOfJwk(privateJwk);
  if (typeof privateJwk.d !== 'string') throw new InvalidInputError('KEY_INVALID', 'the JWK holds no private key (d)');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
  } catch (error) {
    throw new InvalidInputError('KEY_INVALID', `the private JWK cannot be read: ${(error as Error).message}`);
  }
  return {
    keyId,
    algorithm,
    sign: async (data) => rawSign(algorithm, key, data),
  };
}

function rawSign(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array): Uint8Array {
  if (algorithm === 'EdDSA') return new Uint8Array(cryptoSign(null, data, key));
  const hash = algorithm === 'ES256' ? 'sha256' : algorithm === 'ES384' ? 'sha384' : 'sha512';
  return new Uint8Array(cryptoSign(hash, data, { key, dsaEncoding: 'ieee-p1363' }));
}
