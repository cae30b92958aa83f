import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { InvalidInputError } from '../errors.js';
import { didOf } from './did.js';
import { algorithmOfJwk, publicJwkOf, publicJwkToMultibase } from './jwk.js';
import { createLocalSigner } from './signer.js';
import type { PrivateJwk, Signer } from './types.js';

/** What a signature is made for: the JOSE method (JsonWebKey) or the Data Integrity method (Multikey). */
export type KeyUse = 'jose' | 'data-integrity';

/**
 * Writes a private JWK file readable by its owner only (0600). Its `kid` is the JsonWebKey method
 * id (`<did>#<thumbprint>`); the Multikey method id is derived from it.
 */
export function writePrivateKeyFile(path: string, privateJwk: PrivateJwk): void {
  writeFileSync(path, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/** Reads a private JWK file (it must carry `kid`, a DID URL). Errors: KEY_FILE_UNREADABLE, KEY_INVALID. */
export function readPrivateKeyFile(path: string): PrivateJwk {
  let jwk: unknown;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidInputError('KEY_FILE_UNREADABLE', `${path}: ${(error as Error).message}`);
  }
  const key = jwk as Partial<PrivateJwk>;
  if (jwk === null || typeof jwk !== 'object' || typeof key.d !== 'string')
    throw new InvalidInputError('KEY_INVALID', `${path}: not a private JWK`);
  algorithmOfJwk(key);
  if (typeof key.kid !== 'string' || !key.kid.startsWith('did:') || !key.kid.includes('#')) {
    throw new InvalidInputError('KEY_INVALID', `${path}: the JWK needs a kid that is a DID URL (did:…#…)`);
  }
  return key as PrivateJwk;
}

/** The method id a key signs with for a use: the JWK's `kid` for JOSE, `<did>#<publicKeyMultibase>` for Data Integrity. */
export function methodIdFor(privateJwk: PrivateJwk, use: KeyUse): string {
  const kid = privateJwk.kid as string;
  return use === 'jose' ? kid : `${didOf(kid)}#${publicJwkToMultibase(publicJwkOf(privateJwk))}`;
}

/** A Signer over a key file, with the method id the use calls for. */
export function signerFromKeyFile(path: string, use: KeyUse): Signer {
  const jwk = readPrivateKeyFile(path);
  return createLocalSigner(jwk, methodIdFor(jwk, use));
}
