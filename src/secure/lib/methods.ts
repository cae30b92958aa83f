import { UntpCreditsError, isUntpCreditsError } from '../../errors.js';
import { didOf } from '../../keys/did.js';
import { algorithmOfJwk, publicJwkOfMethod } from '../../keys/jwk.js';
import type { DidResolver } from '../../keys/resolver.js';
import type {
  DidDocument,
  PublicJwk,
  SignatureAlgorithm,
  VerificationMethod,
  VerificationRelationship,
} from '../../keys/types.js';

export interface ResolvedKey {
  method: VerificationMethod;
  publicJwk: PublicJwk;
  algorithm: SignatureAlgorithm;
  document: DidDocument;
}

/**
 * Resolves a DID URL to its verification method and checks it may be used for `relationship`.
 * `expectedDid` is the issuer (or holder) the key must belong to. Errors (UntpCreditsError):
 * KEY_ID_INVALID, KEY_ISSUER_MISMATCH, the resolver's DID_* codes, KEY_NOT_FOUND,
 * KEY_NOT_IN_ASSERTION_METHOD / KEY_NOT_IN_AUTHENTICATION (a method removed after compromise), KEY_INVALID.
 */
export async function resolveKey(
  keyId: unknown,
  expectedDid: string | null,
  relationship: VerificationRelationship,
  resolver: DidResolver,
): Promise<ResolvedKey> {
  if (typeof keyId !== 'string' || !keyId.startsWith('did:') || !keyId.includes('#')) {
    throw new UntpCreditsError(
      'KEY_ID_INVALID',
      `the key id ${JSON.stringify(keyId)} is not a DID URL with a fragment`,
    );
  }
  const did = didOf(keyId);
  if (expectedDid === null)
    throw new UntpCreditsError(
      'KEY_ISSUER_MISMATCH',
      `the signed document names no ${relationship === 'assertionMethod' ? 'issuer' : 'holder'} DID to check key ${keyId} against`,
    );
  if (did !== expectedDid) {
    throw new UntpCreditsError(
      'KEY_ISSUER_MISMATCH',
      `key ${keyId} belongs to ${did}, not to ${relationship === 'assertionMethod' ? 'the issuer' : 'the holder'} ${expectedDid}`,
    );
  }
  let document: DidDocument;
  try {
    document = await resolver.resolve(did);
  } catch (error) {
    if (isUntpCreditsError(error)) throw error;
    throw new UntpCreditsError('DID_RESOLUTION_FAILED', `${did}: ${(error as Error).message}`, { cause: error });
  }
  const absolute = (id: string) => (id.startsWith('#') ? `${did}${id}` : id);
  const embedded = (document[relationship] ?? []).filter(
    (entry): entry is VerificationMethod => typeof entry === 'object' && entry !== null,
  );
  const method = [...(document.verificationMethod ?? []), ...embedded].find((m) => absolute(m.id) === keyId);
  if (!method) throw new UntpCreditsError('KEY_NOT_FOUND', `${did} lists no verification method ${keyId}`);
  const listed = (document[relationship] ?? []).some(
    (entry) => absolute(typeof entry === 'string' ? entry : entry.id) === keyId,
  );
  if (!listed) {
    throw new UntpCreditsError(
      relationship === 'assertionMethod' ? 'KEY_NOT_IN_ASSERTION_METHOD' : 'KEY_NOT_IN_AUTHENTICATION',
      `${keyId} is not (or no longer) listed under ${relationship} of ${did}; its signatures do not count`,
    );
  }
  if (method.controller !== undefined && absolute(String(method.controller)) !== did) {
    throw new UntpCreditsError(
      'KEY_ISSUER_MISMATCH',
      `${keyId} is controlled by ${String(method.controller)}, not ${did}`,
    );
  }
  const publicJwk = publicJwkOfMethod(method);
  return { method, publicJwk, algorithm: algorithmOfJwk(publicJwk), document };
}
