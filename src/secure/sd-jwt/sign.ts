import { SDJwtInstance } from '@sd-jwt/core';
import * as base64url from 'jose/base64url';
import { newSalt, sdJwtHasher } from './hash.js';
import { InvalidInputError } from '../../errors.js';
import type { PublicJwk, Signer } from '../../keys/types.js';
import { envelopeContext, VC_SD_JWT_PREFIX, VC_SD_JWT_TYP } from '../../lib/envelope.js';
import { parsePointer } from '../../lib/json-pointer.js';

// The library's frame types, taken from its own signatures (its types package is not a direct dependency).
type DisclosureFrame = NonNullable<Parameters<SDJwtInstance<Record<string, unknown>>['issue']>[1]>;
type PresentationFrame = NonNullable<Parameters<SDJwtInstance<Record<string, unknown>>['present']>[1]>;

/**
 * Members that stay in clear (VC-JOSE-COSE: what a verifier needs to process the credential at all —
 * contexts, types, issuer, validity, status, schema — and the subject as a whole).
 */
export const NEVER_DISCLOSABLE = [
  '/@context',
  '/type',
  '/id',
  '/issuer',
  '/validFrom',
  '/validUntil',
  '/credentialStatus',
  '/credentialSchema',
  '/credentialSubject',
  '/credentialSubject/type',
  '/credentialSubject/id',
];

/** An EnvelopedVerifiableCredential around an SD-JWT (`id` = data:application/vc+sd-jwt,<sd-jwt>). */
export interface EnvelopedSdJwtCredential {
  '@context': unknown[];
  type: 'EnvelopedVerifiableCredential';
  id: string;
}

export interface SdJwtSignOptions {
  signer: Signer;
  /** JSON pointers of the members (or array items) the holder may choose to disclose. */
  disclosable: readonly string[];
  /** The holder's public key: becomes `cnf.jwk`, and presentations then carry a key-binding JWT. */
  holderKey?: PublicJwk;
}

function segmentsOf(pointer: string): string[] {
  const segments = parsePointer(pointer);
  if (segments === null)
    throw new InvalidInputError('SD_POINTER_INVALID', `${JSON.stringify(pointer)} is not a JSON pointer`, pointer);
  return segments;
}

/** The library's disclosure frame from JSON pointers (arrays by index, objects by member name). */
function disclosureFrame(credential: Record<string, unknown>, pointers: readonly string[]): DisclosureFrame {
  const frame: Record<string, unknown> = {};
  for (const pointer of pointers) {
    if (NEVER_DISCLOSABLE.includes(pointer) || pointer === '')
      throw new InvalidInputError(
        'SD_NOT_ALLOWED',
        `${pointer || '/'} must stay in clear in an SD-JWT credential`,
        pointer,
      );
    const segments = segmentsOf(pointer);
    let node: unknown = credential;
    let f = frame;
    segments.forEach((segment, i) => {
      const container = node;
      if (container === null || typeof container !== 'object' || !(segment in container)) {
        throw new InvalidInputError('SD_POINTER_UNKNOWN', `the credential has nothing at ${pointer}`, pointer);
      }
      node = (container as Record<string, unknown>)[segment];
      const key: string | number = Array.isArray(container) ? Number(segment) : segment;
      if (i === segments.length - 1) {
        const sd = (f._sd ??= []) as (string | number)[];
        if (!sd.includes(key)) sd.push(key);
      } else {
        f = (f[segment] ??= {}) as Record<string, unknown>;
      }
    });
  }
  return frame as DisclosureFrame;
}

function signerFor(signer: Signer) {
  return async (data: string) => base64url.encode(await signer.sign(new TextEncoder().encode(data)));
}

function sdJwtOf(input: string | { id?: unknown }): string {
  const id = typeof input === 'string' ? input : input.id;
  if (typeof id !== 'string')
    throw new InvalidInputError('SD_JWT_INVALID', 'not an SD-JWT or an enveloped SD-JWT credential');
  return id.startsWith(VC_SD_JWT_PREFIX) ? id.slice(VC_SD_JWT_PREFIX.length) : id;
}

/**
 * Secures a credential as a W3C VC-JOSE-COSE SD-JWT (`typ` vc+sd-jwt, `cty` vc): the members at
 * `disclosable` are replaced by salted digests, their disclosures appended. Does not validate: use
 * `issueSdJwt()` (or `issue()` with `format: 'sd-jwt'`) for that. Codes: SD_NOT_ALLOWED,
 * SD_POINTER_UNKNOWN, SD_POINTER_INVALID for the pointers.
 */
export async function signSdJwt(
  credential: Record<string, unknown>,
  options: SdJwtSignOptions,
): Promise<EnvelopedSdJwtCredential> {
  const frame = disclosureFrame(credential, options.disclosable);
  const sdjwt = new SDJwtInstance({
    hasher: sdJwtHasher,
    hashAlg: 'sha-256',
    saltGenerator: () => newSalt(),
    signer: signerFor(options.signer),
    signAlg: options.signer.algorithm,
  });
  const payload = options.holderKey
    ? { ...credential, cnf: { jwk: publicOnly(options.holderKey) } }
    : { ...credential };
  const compact = await sdjwt.issue(payload, frame, {
    header: { kid: options.signer.keyId, typ: VC_SD_JWT_TYP, cty: 'vc' },
  });
  return {
    '@context': envelopeContext(credential),
    type: 'EnvelopedVerifiableCredential',
    id: `${VC_SD_JWT_PREFIX}${compact}`,
  };
}

function publicOnly(jwk: PublicJwk): Record<string, unknown> {
  const { kty, crv, x, y } = jwk;
  return y === undefined ? { kty, crv, x } : { kty, crv, x, y };
}

export interface SdJwtPresentOptions {
  /** JSON pointers of the disclosable members to reveal (`[]` reveals none; 'all' every one). */
  disclose: readonly string[] | 'all';
  /** Key binding, when the credential names a holder key (`cnf`): the holder signs the verifier's nonce and audience. */
  keyBinding?: { signer: Signer; audience: string; nonce: string; issuedAt?: Date };
}

/**
 * The holder's presentation of an SD-JWT credential: a subset of its disclosures, and a key-binding
 * JWT when asked. Returns the same enveloped shape, for `verify()`.
 *
 * @example
 *   const shown = await presentSdJwt(vc, { disclose: ['/credentialSubject/creditRetirement/beneficiary'],
 *     keyBinding: { signer: holderSigner, audience: 'https://verifier.example', nonce } });
 *   await verify(shown, { challenge: nonce, domain: 'https://verifier.example' });
 */
export async function presentSdJwt(
  credential: string | { id?: unknown },
  options: SdJwtPresentOptions,
): Promise<EnvelopedSdJwtCredential> {
  const compact = sdJwtOf(credential);
  // Drop a key-binding JWT the input may carry: a presentation binds afresh.
  const base = compact.slice(0, compact.lastIndexOf('~') + 1);
  const kb = options.keyBinding;
  const instance = new SDJwtInstance({
    hasher: sdJwtHasher,
    ...(kb ? { kbSigner: signerFor(kb.signer), kbSignAlg: kb.signer.algorithm } : {}),
  });
  let frame: PresentationFrame | undefined;
  if (options.disclose !== 'all') {
    const f: Record<string, unknown> = {};
    for (const pointer of options.disclose) {
      const segments = segmentsOf(pointer);
      let node = f;
      segments.forEach((segment, i) => {
        const key = /^\d+$/.test(segment) ? Number(segment) : segment;
        if (i === segments.length - 1) node[key] = true;
        else node = (node[key] ??= {}) as Record<string, unknown>;
      });
    }
    frame = f as PresentationFrame;
  }
  const presented = await instance.present(
    base,
    frame,
    kb
      ? {
          kb: {
            payload: {
              aud: kb.audience,
              nonce: kb.nonce,
              iat: Math.floor((kb.issuedAt ?? new Date()).getTime() / 1000),
            },
          },
        }
      : undefined,
  );
  const payload = JSON.parse(Buffer.from(base.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return {
    '@context': envelopeContext(payload),
    type: 'EnvelopedVerifiableCredential',
    id: `${VC_SD_JWT_PREFIX}${presented}`,
  };
}
