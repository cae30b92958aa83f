import { Disclosure } from '@sd-jwt/utils';
import { compactVerify } from 'jose/jws/compact/verify';
import { importJWK } from 'jose/key/import';
import { sdJwtHasher } from './hash.js';
import { UntpCreditsError } from '../../errors.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../../keys/types.js';
import type { Issue } from '../../validate/report.js';
import { checkJoseHeader } from '../jose/verify.js';
import type { DecodedSdJwt } from './decode.js';
import { KB_JWT_TYP, VC_SD_JWT_TYP } from '../../lib/envelope.js';
import { appendPointer } from '../../lib/json-pointer.js';
import { encodeBase64url } from '../../lib/base64url.js';

/** Header rules: typ vc+sd-jwt (dc+sd-jwt refused), cty vc when present, and the UNTP JOSE profile's alg/kid/crit rules. */
export function checkSdJwtHeader(
  header: Record<string, unknown>,
  algorithms: readonly SignatureAlgorithm[] = SIGNATURE_ALGORITHMS,
): SignatureAlgorithm {
  if (header.typ !== VC_SD_JWT_TYP && header.typ !== `application/${VC_SD_JWT_TYP}`) {
    throw new UntpCreditsError(
      'JOSE_TYP_INVALID',
      `typ must be ${VC_SD_JWT_TYP} (W3C VC-JOSE-COSE), not ${JSON.stringify(header.typ)}${header.typ === 'dc+sd-jwt' ? ' (IETF SD-JWT VC is not accepted)' : ''}`,
    );
  }
  return checkJoseHeader({ ...header, typ: 'vc+jwt' }, 'vc', algorithms);
}

const JOSE_CLAIMS = ['cnf', '_sd_alg'];

/** An own data property, even for a member named __proto__ (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Checks the disclosures against the signed digests and rebuilds the disclosed credential. Every
 * disclosure must be referenced exactly once by a digest (`_sd` for members, `{"...": d}` for array
 * items), of the right shape, and must not collide with a clear member. Returns the document (less
 * cnf/_sd_alg) and the pointers where undisclosed digests remain ("claims may be withheld here").
 * Codes: SD_DISCLOSURE_UNREFERENCED (tampered, or from another credential), SD_DIGEST_DUPLICATE,
 * SD_DISCLOSURE_MALFORMED, SD_CLAIM_CONFLICT.
 */
export async function resolveDisclosures(
  decoded: DecodedSdJwt,
): Promise<{ document: Record<string, unknown>; withheld: string[] }> {
  const byDigest = new Map<string, Disclosure>();
  for (const d of decoded.disclosures) byDigest.set(await d.digest({ hasher: sdJwtHasher, alg: 'sha-256' }), d);
  const used = new Set<string>();
  const withheld: string[] = [];
  const take = (digest: unknown): Disclosure | undefined => {
    if (typeof digest !== 'string')
      throw new UntpCreditsError('SD_DISCLOSURE_MALFORMED', 'an SD digest is not a string');
    if (used.has(digest)) throw new UntpCreditsError('SD_DIGEST_DUPLICATE', `digest ${digest} appears twice`);
    const d = byDigest.get(digest);
    if (d) used.add(digest);
    return d;
  };
  const rebuild = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      let hidden = false;
      for (const item of node) {
        const isRef =
          item !== null &&
          typeof item === 'object' &&
          !Array.isArray(item) &&
          Object.keys(item).length === 1 &&
          '...' in item;
        if (!isRef) {
          out.push(rebuild(item, `${path}/${out.length}`));
          continue;
        }
        const d = take((item as Record<string, unknown>)['...']);
        if (!d) {
          hidden = true;
          continue;
        }
        if (d.key !== undefined)
          throw new UntpCreditsError(
            'SD_DISCLOSURE_MALFORMED',
            `an array item at ${path} is disclosed by a [salt, name, value] disclosure`,
          );
        out.push(rebuild(d.value, `${path}/${out.length}`));
      }
      if (hidden) withheld.push(path);
      return out;
    }
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    const object = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(object))
      if (key !== '_sd') setOwn(out, key, rebuild(value, appendPointer(path, key)));
    if (object._sd !== undefined) {
      if (!Array.isArray(object._sd))
        throw new UntpCreditsError('SD_DISCLOSURE_MALFORMED', `_sd at ${path} is not an array`);
      let hidden = false;
      for (const digest of object._sd) {
        const d = take(digest);
        if (!d) {
          hidden = true;
          continue;
        }
        if (d.key === undefined)
          throw new UntpCreditsError(
            'SD_DISCLOSURE_MALFORMED',
            `a member of ${path || '/'} is disclosed by a [salt, value] disclosure`,
          );
        if (d.key === '_sd' || d.key === '...' || Object.hasOwn(out, d.key))
          throw new UntpCreditsError(
            'SD_CLAIM_CONFLICT',
            `the disclosed member ${d.key} collides with ${path}/${d.key}`,
          );
        setOwn(out, d.key, rebuild(d.value, appendPointer(path, d.key)));
      }
      if (hidden) withheld.push(path);
    }
    return out;
  };
  const document = rebuild(decoded.jwt.payload, '') as Record<string, unknown>;
  for (const [digest] of byDigest) {
    if (!used.has(digest))
      throw new UntpCreditsError(
        'SD_DISCLOSURE_UNREFERENCED',
        `a disclosure (digest ${digest}) is not referenced by this credential: it was altered, or belongs to another credential`,
      );
  }
  for (const claim of JOSE_CLAIMS) delete document[claim];
  return { document, withheld: withheld.sort() };
}

/**
 * Checks a key-binding JWT: typ kb+jwt, signed by the key in `cnf.jwk`, `sd_hash` over this very
 * presentation, `nonce`/`aud` equal to the verifier's challenge/domain, `iat` recent.
 * Codes: SD_JWT_KB_MISSING, SD_JWT_KB_UNEXPECTED, SD_JWT_KB_INVALID, SD_JWT_KB_SIGNATURE_INVALID,
 * SD_JWT_KB_SD_HASH_MISMATCH, SD_JWT_KB_NONCE_MISMATCH, SD_JWT_KB_AUDIENCE_MISMATCH, SD_JWT_KB_EXPIRED.
 */
export async function checkKeyBinding(
  decoded: DecodedSdJwt,
  options: {
    challenge?: string;
    domain?: string;
    now: Date;
    maxAgeSeconds?: number;
    algorithms?: readonly SignatureAlgorithm[];
  },
): Promise<{ warnings: Issue[] }> {
  const cnf = decoded.jwt.payload.cnf as { jwk?: Record<string, unknown> } | undefined;
  const warnings: Issue[] = [];
  if (!decoded.kb) {
    if (cnf?.jwk && options.challenge !== undefined)
      throw new UntpCreditsError(
        'SD_JWT_KB_MISSING',
        'the credential is bound to a holder key, but the presentation carries no key-binding JWT',
      );
    return { warnings };
  }
  if (!cnf?.jwk)
    throw new UntpCreditsError(
      'SD_JWT_KB_UNEXPECTED',
      'a key-binding JWT is given but the credential names no holder key (cnf.jwk)',
    );
  const { header, payload, jws } = decoded.kb;
  const alg = header.alg;
  if (
    header.typ !== KB_JWT_TYP ||
    typeof alg !== 'string' ||
    !(options.algorithms ?? SIGNATURE_ALGORITHMS).includes(alg as SignatureAlgorithm)
  ) {
    throw new UntpCreditsError(
      'SD_JWT_KB_INVALID',
      `a key-binding JWT has typ ${KB_JWT_TYP} and an allowed alg (got ${JSON.stringify(header.typ)}, ${JSON.stringify(alg)})`,
    );
  }
  try {
    await compactVerify(jws, await importJWK({ ...cnf.jwk, alg } as never, alg), { algorithms: [alg] });
  } catch (error) {
    throw new UntpCreditsError(
      'SD_JWT_KB_SIGNATURE_INVALID',
      `the key-binding JWT is not signed by the holder key: ${(error as Error).message}`,
    );
  }
  const expected = encodeBase64url(sdJwtHasher(decoded.withoutKb, 'sha-256'));
  if (payload.sd_hash !== expected)
    throw new UntpCreditsError(
      'SD_JWT_KB_SD_HASH_MISMATCH',
      'the key-binding JWT was made for another presentation (sd_hash differs): it is replayed or the disclosures were changed',
    );
  if (options.challenge !== undefined && payload.nonce !== options.challenge) {
    throw new UntpCreditsError(
      'SD_JWT_KB_NONCE_MISMATCH',
      `the key-binding JWT answers nonce ${JSON.stringify(payload.nonce)}, not this verifier's challenge: it is replayed`,
    );
  }
  if (options.domain !== undefined && payload.aud !== options.domain) {
    throw new UntpCreditsError(
      'SD_JWT_KB_AUDIENCE_MISMATCH',
      `the key-binding JWT is for ${JSON.stringify(payload.aud)}, not ${options.domain}`,
    );
  }
  const iat = payload.iat;
  const now = Math.floor(options.now.getTime() / 1000);
  if (typeof iat !== 'number' || iat > now + 60 || iat < now - (options.maxAgeSeconds ?? 300)) {
    throw new UntpCreditsError(
      'SD_JWT_KB_EXPIRED',
      `the key-binding JWT was made at ${String(iat)}, outside the accepted window at ${now}`,
    );
  }
  if (options.challenge === undefined)
    warnings.push({
      code: 'KEY_BINDING_NOT_CHALLENGED',
      path: '',
      message:
        'no challenge was given: the key binding proves the holder key but not freshness (pass challenge and domain)',
    });
  return { warnings };
}
