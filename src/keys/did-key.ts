import { InvalidInputError } from '../errors.js';
import { multibaseToPublicJwk, publicJwkToMultibase } from './jwk.js';
import type { DidDocument, PublicJwk } from './types.js';

/**
 * Resolves a did:key (Ed25519, P-256, P-384) to its DID document: one Multikey method
 * `did:key:z…#z…`, listed under assertionMethod and authentication.
 */
export function resolveDidKey(did: string): DidDocument {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) throw new InvalidInputError('DID_INVALID', `${did} is not a did:key`);
  const multibase = match[1] as string;
  multibaseToPublicJwk(multibase); // throws KEY_INVALID for an unsupported or broken key
  const id = `${did}#${multibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: multibase }],
    assertionMethod: [id],
    authentication: [id],
  };
}

/** The did:key of a public key and its one verification method id (use it as the signer's keyId). */
export function didKeyOf(publicJwk: PublicJwk): { did: string; keyId: string } {
  const multibase = publicJwkToMultibase(publicJwk);
  return { did: `did:key:${multibase}`, keyId: `did:key:${multibase}#${multibase}` };
}
