import { p256, p384, p521 } from '@noble/curves/nist.js';
import * as base64url from 'jose/base64url';
import { calculateJwkThumbprint } from 'jose/jwk/thumbprint';
import { base58btc } from 'multiformats/bases/base58';
import { InvalidInputError } from '../errors.js';
import type { PrivateJwk, PublicJwk, SignatureAlgorithm, VerificationMethod } from './types.js';

// Multicodec prefixes (varint) of the public keys Multikey carries.
const ED25519_PUB = Uint8Array.of(0xed, 0x01);
const P256_PUB = Uint8Array.of(0x80, 0x24);
const P384_PUB = Uint8Array.of(0x81, 0x24);
const P521_PUB = Uint8Array.of(0x82, 0x24);

/** The JOSE algorithm a key is used with: Ed25519 → EdDSA, P-256 → ES256, P-384 → ES384, P-521 → ES512. */
export function algorithmOfJwk(jwk: { kty?: unknown; crv?: unknown }): SignatureAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512';
  throw new InvalidInputError(
    'KEY_TYPE_UNSUPPORTED',
    `key type ${String(jwk.kty)}/${String(jwk.crv)} is not supported (Ed25519, P-256, P-384, P-521)`,
  );
}

/** The public members of a JWK (drops `d` and anything private). */
export function publicJwkOf(jwk: PublicJwk | PrivateJwk): PublicJwk {
  algorithmOfJwk(jwk);
  const out: PublicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (jwk.y !== undefined) out.y = jwk.y;
  return out;
}

/** RFC 7638 thumbprint (SHA-256, base64url) of the public key. */
export async function jwkThumbprint(jwk: PublicJwk): Promise<string> {
  const pub = publicJwkOf(jwk);
  return calculateJwkThumbprint(pub as never, 'sha256');
}

/** Multikey `publicKeyMultibase` (base58btc, multicodec-prefixed; EC points compressed). */
export function publicJwkToMultibase(jwk: PublicJwk): string {
  const alg = algorithmOfJwk(jwk);
  const x = base64url.decode(jwk.x);
  if (alg === 'EdDSA') return base58btc.encode(concat(ED25519_PUB, x));
  if (jwk.y === undefined) throw new InvalidInputError('KEY_INVALID', 'an EC JWK needs y');
  const y = base64url.decode(jwk.y);
  const parity = (y[y.length - 1] ?? 0) & 1;
  const prefix = alg === 'ES256' ? P256_PUB : alg === 'ES384' ? P384_PUB : P521_PUB;
  return base58btc.encode(concat(prefix, Uint8Array.of(2 + parity), x));
}

/** The public JWK of a Multikey `publicKeyMultibase` value. Throws KEY_INVALID for anything else. */
export function multibaseToPublicJwk(multibase: string): PublicJwk {
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(multibase);
  } catch (error) {
    throw new UntpKeyError(`publicKeyMultibase ${multibase.slice(0, 16)}… is not base58btc multibase`, error);
  }
  const prefix = (p: Uint8Array) => bytes.length > 2 && bytes[0] === p[0] && bytes[1] === p[1];
  if (prefix(ED25519_PUB) && bytes.length === 34) {
    return { kty: 'OKP', crv: 'Ed25519', x: base64url.encode(bytes.subarray(2)) };
  }
  const ec =
    prefix(P256_PUB) && bytes.length === 35
      ? { curve: p256, crv: 'P-256' as const }
      : prefix(P384_PUB) && bytes.length === 51
        ? { curve: p384, crv: 'P-384' as const }
        : prefix(P521_PUB) && bytes.length === 69
          ? { curve: p521, crv: 'P-521' as const }
          : undefined;
  if (!ec) throw new UntpKeyError('publicKeyMultibase is not an Ed25519, P-256, P-384 or P-521 Multikey');
  try {
    // The compressed point (0x02/0x03 ‖ x), decompressed and checked to lie on the curve.
    const point = ec.curve.Point.fromBytes(bytes.subarray(2)).toBytes(false);
    const size = (point.length - 1) / 2;
    return {
      kty: 'EC',
      crv: ec.crv,
      x: base64url.encode(point.subarray(1, 1 + size)),
      y: base64url.encode(point.subarray(1 + size)),
    };
  } catch (error) {
    throw new UntpKeyError('publicKeyMultibase holds no valid EC point', error);
  }
}

/** The public key of a verification method: `publicKeyJwk` or Multikey/Ed25519VerificationKey2020 `publicKeyMultibase`. */
export function publicJwkOfMethod(method: VerificationMethod): PublicJwk {
  if (method.publicKeyJwk && typeof method.publicKeyJwk === 'object') {
    const jwk = method.publicKeyJwk as Partial<PrivateJwk>;
    if ('d' in jwk) throw new UntpKeyError(`verification method ${method.id} publishes a private key`);
    algorithmOfJwk(jwk);
    if (typeof jwk.x !== 'string' || (jwk.kty === 'EC' && typeof jwk.y !== 'string'))
      throw new UntpKeyError(`verification method ${method.id} has an incomplete JWK`);
    return publicJwkOf(jwk as PublicJwk);
  }
  if (typeof method.publicKeyMultibase === 'string') return multibaseToPublicJwk(method.publicKeyMultibase);
  throw new UntpKeyError(`verification method ${method.id} carries neither publicKeyJwk nor publicKeyMultibase`);
}

class UntpKeyError extends InvalidInputError {
  constructor(message: string, cause?: unknown) {
    super('KEY_INVALID', message);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
