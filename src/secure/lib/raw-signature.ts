import { verify as cryptoVerify } from 'node:crypto';
import type { PublicJwk, SignatureAlgorithm } from '../../keys/types.js';
import { publicKeyObject } from './key-cache.js';

/** Checks a raw JOSE-form signature (Ed25519, or ECDSA r‖s) over `data`. Never throws; false on any failure. */
export function verifyRawSignature(
  algorithm: SignatureAlgorithm,
  publicJwk: PublicJwk,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    const key = publicKeyObject(publicJwk);
    if (algorithm === 'EdDSA') return signature.length === 64 && cryptoVerify(null, data, key, signature);
    const size = algorithm === 'ES256' ? 64 : 96;
    if (signature.length !== size) return false;
    return cryptoVerify(
      algorithm === 'ES256' ? 'sha256' : 'sha384',
      data,
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
  } catch {
    return false;
  }
}
