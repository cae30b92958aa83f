import * as base64url from 'jose/base64url';
import { UntpCreditsError, isUntpCreditsError } from '../errors.js';
import { checkDigest, digestMultibase } from '../lib/digest.js';
import type { DidResolver } from '../keys/resolver.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm, type Signer } from '../keys/types.js';
import { checkJoseHeader, decodeCompactJws, verifyJwsSignature } from '../secure/jose/verify.js';
import { resolveKey } from '../secure/lib/methods.js';
import { issuerIdOf } from '../lib/credential.js';
import { checkFieldDisclosure, type FieldDisclosure } from './commitment.js';
import { valueAt } from '../lib/json-pointer.js';

/**
 * A disclosure release: the small signed document a registry publishes on (or after) a withheld
 * field's disclosure date. A compact JWS, signed by the credential's issuer with an assertionMethod
 * key, `typ` DISCLOSURE_RELEASE_TYP, binding the disclosure to one credential by id and by the
 * digest of its JWS, so it cannot be replayed against another credential.
 */
export const DISCLOSURE_RELEASE_TYP = 'untp-disclosure+jwt';

export interface DisclosureReleasePayload {
  /** The registry (the credential's issuer DID). */
  iss: string;
  /** The credential id the release is for. */
  sub: string;
  /** digestMultibase of the credential's compact JWS (unchanged by the release). */
  credentialDigestMultibase: string;
  /** JSON pointer of the commitment in the credential, e.g. /credentialSubject/creditRetirement/withheldBeneficiary. */
  commitment: string;
  /** The RFC 9901 disclosure string committed to. */
  disclosure: string;
  /** Release time (seconds since the epoch). */
  iat: number;
}

export interface ReleaseInput {
  /** The signed credential's compact JWS (the release is bound to its id and digest). */
  credentialJws: string;
  commitment: string;
  disclosure: string;
  releasedAt: Date;
}

/**
 * Signs a disclosure release for a credential the signer's DID issued.
 *
 * @example
 *   const release = await signDisclosureRelease({ credentialJws, commitment: '/credentialSubject/creditRetirement/withheldBeneficiary',
 *     disclosure: kept.disclosure, releasedAt: new Date() }, registrySigner);
 *   await verify(retirement, { disclosures: [release] });
 */
export async function signDisclosureRelease(input: ReleaseInput, signer: Signer): Promise<string> {
  const credential = decodeCompactJws(input.credentialJws).payload;
  const issuer = issuerIdOf(credential);
  if (issuer === null || !signer.keyId.startsWith(`${issuer}#`)) {
    throw new UntpCreditsError(
      'ISSUER_KEY_MISMATCH',
      `only the credential's issuer (${String(issuer)}) can release its withheld fields, not ${signer.keyId}`,
    );
  }
  // Refuse to release something that would not verify.
  checkFieldDisclosure(valueAt(credential, input.commitment), input.disclosure, fieldNameOf(input.commitment));
  const payload: DisclosureReleasePayload = {
    iss: issuer,
    sub: String(credential.id),
    credentialDigestMultibase: digestMultibase(input.credentialJws),
    commitment: input.commitment,
    disclosure: input.disclosure,
    iat: Math.floor(input.releasedAt.getTime() / 1000),
  };
  const header = { alg: signer.algorithm, kid: signer.keyId, typ: DISCLOSURE_RELEASE_TYP };
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}

/** The field a commitment member withholds: `withheldBeneficiary` → `beneficiary`. */
export function fieldNameOf(pointer: string): string {
  const last = pointer.split('/').pop() ?? '';
  const rest = last.replace(/^withheld/, '');
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

export interface VerifiedRelease extends FieldDisclosure {
  /** Pointer of the commitment the release opens. */
  commitment: string;
  releasedAt: Date;
}

/**
 * Verifies a disclosure release against a credential (already verified by the caller): decode,
 * header, issuer key, signature, binding to this credential's id and JWS digest, and the
 * disclosure against the commitment. Codes: DISCLOSURE_RELEASE_MALFORMED, DISCLOSURE_RELEASE_TYP_INVALID,
 * the JOSE header codes, the key codes, SIGNATURE_INVALID, DISCLOSURE_WRONG_CREDENTIAL,
 * DISCLOSURE_FIELD_UNKNOWN, DISCLOSURE_MISMATCH, DISCLOSURE_MALFORMED.
 *
 * @example
 *   const { value } = await verifyDisclosureRelease(release, { credential, credentialJws, resolver });
 */
export async function verifyDisclosureRelease(
  release: unknown,
  context: {
    credential: Record<string, unknown>;
    credentialJws?: string;
    resolver: DidResolver;
    algorithms?: readonly SignatureAlgorithm[];
  },
): Promise<VerifiedRelease> {
  if (typeof release !== 'string')
    throw new UntpCreditsError('DISCLOSURE_RELEASE_MALFORMED', 'a disclosure release is a compact JWS string');
  let decoded;
  try {
    decoded = decodeCompactJws(release.trim());
  } catch (error) {
    throw new UntpCreditsError(
      'DISCLOSURE_RELEASE_MALFORMED',
      `the disclosure release is not a compact JWS: ${(error as Error).message}`,
    );
  }
  const { header, payload } = decoded;
  if (header.typ !== DISCLOSURE_RELEASE_TYP)
    throw new UntpCreditsError(
      'DISCLOSURE_RELEASE_TYP_INVALID',
      `a disclosure release has typ ${DISCLOSURE_RELEASE_TYP}, not ${JSON.stringify(header.typ)}`,
    );
  // The header rules of the UNTP JOSE profile, apart from typ (checked above).
  const alg = checkJoseHeader(
    { ...header, typ: 'vc+jwt', cty: undefined },
    'vc',
    context.algorithms ?? SIGNATURE_ALGORITHMS,
  );
  const issuer = issuerIdOf(context.credential);
  const key = await resolveKey(header.kid, issuer, 'assertionMethod', context.resolver);
  await verifyJwsSignature(decoded, alg, key.publicJwk, key.algorithm);
  if (payload.iss !== issuer || payload.sub !== context.credential.id) {
    throw new UntpCreditsError(
      'DISCLOSURE_WRONG_CREDENTIAL',
      `the release is for ${String(payload.sub)} (by ${String(payload.iss)}), not for ${String(context.credential.id)}`,
    );
  }
  if (context.credentialJws !== undefined) {
    const digest = payload.credentialDigestMultibase;
    let same = false;
    try {
      same = typeof digest === 'string' && checkDigest(context.credentialJws, digest);
    } catch (error) {
      if (!isUntpCreditsError(error)) throw error;
    }
    if (!same)
      throw new UntpCreditsError(
        'DISCLOSURE_WRONG_CREDENTIAL',
        `the release cites credential digest ${String(digest)}, not this credential's ${digestMultibase(context.credentialJws)}`,
      );
  }
  const pointer = payload.commitment;
  const commitment = typeof pointer === 'string' ? valueAt(context.credential, pointer) : undefined;
  if (typeof pointer !== 'string' || commitment === undefined)
    throw new UntpCreditsError('DISCLOSURE_FIELD_UNKNOWN', `the credential has no commitment at ${String(pointer)}`);
  if (typeof payload.disclosure !== 'string')
    throw new UntpCreditsError('DISCLOSURE_MALFORMED', 'the release carries no disclosure string');
  const field = checkFieldDisclosure(commitment, payload.disclosure, fieldNameOf(pointer));
  return {
    ...field,
    commitment: pointer,
    releasedAt: new Date((typeof payload.iat === 'number' ? payload.iat : 0) * 1000),
  };
}

/**
 * The registry's release step: refuses before the commitment's disclosure date (DISCLOSURE_NOT_DUE,
 * unless `early` — the beneficiary agreed to an earlier release), checks the disclosure against the
 * commitment and signs the release. What a `POST /registry/retirements/:id/disclosures` route calls.
 *
 * @example
 *   const release = await releaseDisclosure({ credentialJws, disclosure: kept, now: clock() }, registrySigner);
 */
export async function releaseDisclosure(
  input: { credentialJws: string; disclosure: string; commitment?: string; now: Date; early?: boolean },
  signer: Signer,
): Promise<string> {
  const credential = decodeCompactJws(input.credentialJws).payload;
  const pointer = input.commitment ?? '/credentialSubject/creditRetirement/withheldBeneficiary';
  const commitment = valueAt(credential, pointer) as { disclosureDate?: unknown } | undefined;
  if (commitment === undefined)
    throw new UntpCreditsError('DISCLOSURE_FIELD_UNKNOWN', `the credential has no commitment at ${pointer}`, {
      path: '/commitment',
    });
  const today = input.now.toISOString().slice(0, 10);
  if (!input.early && typeof commitment.disclosureDate === 'string' && today < commitment.disclosureDate) {
    throw new UntpCreditsError(
      'DISCLOSURE_NOT_DUE',
      `the ${fieldNameOf(pointer)} is withheld until ${commitment.disclosureDate}; it is ${today}`,
      { path: '/disclosure' },
    );
  }
  return signDisclosureRelease(
    { credentialJws: input.credentialJws, commitment: pointer, disclosure: input.disclosure, releasedAt: input.now },
    signer,
  );
}
