import { InvalidInputError } from '../errors.js';
import { didOf, isDid } from './did.js';
import { jwkThumbprint, publicJwkOf, publicJwkOfMethod, publicJwkToMultibase } from './jwk.js';
import type { DidDocument, PublicJwk, VerificationMethod, VerificationRelationship } from './types.js';

/**
 * The `@context` of the DID documents we emit. DID v1 defines the document's own terms but neither
 * verification method type; W3C Controlled Identifiers v1.0 (`https://www.w3.org/ns/cid/v1`) defines
 * both `JsonWebKey` (`publicKeyJwk`) and `Multikey` (`publicKeyMultibase`). Without it a JSON-LD
 * processor drops `publicKeyJwk` (neither multikey/v1 nor jws-2020/v1, which only has
 * `JsonWebKey2020`, defines it). Its protected terms are identical to DID v1's and multikey/v1's, so
 * the list expands without a protected-term redefinition error. multikey/v1 and jws-2020/v1 are kept
 * (the change is additive); nothing here needs them any more.
 */
export const DID_CONTEXTS = [
  'https://www.w3.org/ns/did/v1',
  'https://www.w3.org/ns/cid/v1',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/security/suites/jws-2020/v1',
] as const;

/** The `@context` DID documents were emitted with before the CID context was added (it dropped `publicKeyJwk`). */
const PRE_CID_DID_CONTEXTS = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/security/suites/jws-2020/v1',
];

function isPreCidContext(context: unknown): boolean {
  return (
    Array.isArray(context) &&
    context.length === PRE_CID_DID_CONTEXTS.length &&
    context.every((url, i) => url === PRE_CID_DID_CONTEXTS[i])
  );
}

const RELATIONSHIPS: readonly VerificationRelationship[] = ['assertionMethod', 'authentication'];

/** The two verification method ids one key gets: JsonWebKey (JOSE) and Multikey (Data Integrity). */
export interface KeyMethodIds {
  /** `<did>#<JWK thumbprint>` — type JsonWebKey, used as the JOSE `kid`. */
  jose: string;
  /** `<did>#<publicKeyMultibase>` — type Multikey, used as Data Integrity `verificationMethod`. */
  dataIntegrity: string;
}

export async function keyMethodIds(did: string, publicJwk: PublicJwk): Promise<KeyMethodIds> {
  return {
    jose: `${did}#${await jwkThumbprint(publicJwk)}`,
    dataIntegrity: `${did}#${publicJwkToMultibase(publicJwk)}`,
  };
}

/** Both verification methods of a key: JsonWebKey (publicKeyJwk) and Multikey (publicKeyMultibase). */
export async function verificationMethodsForKey(did: string, publicJwk: PublicJwk): Promise<VerificationMethod[]> {
  const ids = await keyMethodIds(did, publicJwk);
  return [
    { id: ids.jose, type: 'JsonWebKey', controller: did, publicKeyJwk: publicJwkOf(publicJwk) },
    { id: ids.dataIntegrity, type: 'Multikey', controller: did, publicKeyMultibase: publicJwkToMultibase(publicJwk) },
  ];
}

/**
 * A DID document for `did` listing each key as JsonWebKey and Multikey, both under
 * `assertionMethod` and `authentication`.
 *
 * @example
 *   const doc = await createDidDocument('did:web:example.com', [publicJwk]);
 */
export async function createDidDocument(did: string, publicJwks: readonly PublicJwk[]): Promise<DidDocument> {
  if (!isDid(did) || didOf(did) !== did) throw new InvalidInputError('DID_INVALID', `${did} is not a DID`);
  let document: DidDocument = {
    '@context': [...DID_CONTEXTS],
    id: did,
    verificationMethod: [],
    assertionMethod: [],
    authentication: [],
  };
  for (const jwk of publicJwks) document = await addKeyToDidDocument(document, jwk);
  return document;
}

/**
 * Key rotation: a copy of the document with `publicJwk` added (both method types, both relationships).
 * Old keys stay listed, so everything they signed still verifies. Adding a key twice is a no-op.
 * A document carrying exactly the `@context` we emitted before the CID context existed gets
 * {@link DID_CONTEXTS} instead (method ids are unchanged); any other `@context` is left as it is.
 */
export async function addKeyToDidDocument(document: DidDocument, publicJwk: PublicJwk): Promise<DidDocument> {
  const copy = structuredClone(document);
  if (isPreCidContext(copy['@context'])) copy['@context'] = [...DID_CONTEXTS];
  copy.verificationMethod ??= [];
  for (const method of await verificationMethodsForKey(copy.id, publicJwk)) {
    if (!copy.verificationMethod.some((m) => m.id === method.id)) copy.verificationMethod.push(method);
    for (const relationship of RELATIONSHIPS) {
      const list = (copy[relationship] ??= []);
      if (!list.some((entry) => (typeof entry === 'string' ? entry : entry.id) === method.id)) list.push(method.id);
    }
  }
  return copy;
}

/**
 * For a compromised key only: a copy of the document with the method(s) removed from
 * `assertionMethod` and `authentication`. The method stays in `verificationMethod` so verifiers can
 * say precisely why its signatures no longer count (KEY_NOT_IN_ASSERTION_METHOD); every credential it
 * signed stops verifying, so revoke them and reissue with `replaces`. `methodIdOrThumbprint` may name
 * either method of the key (or its JWK thumbprint); both are removed.
 */
export async function revokeKeyInDidDocument(
  document: DidDocument,
  methodIdOrThumbprint: string,
): Promise<DidDocument> {
  const copy = structuredClone(document);
  const target = (copy.verificationMethod ?? []).find(
    (m) => m.id === methodIdOrThumbprint || m.id === `${copy.id}#${methodIdOrThumbprint}`,
  );
  if (!target)
    throw new InvalidInputError('KEY_NOT_FOUND', `${methodIdOrThumbprint} is not a verification method of ${copy.id}`);
  const ids = await keyMethodIds(copy.id, publicJwkOfMethod(target));
  const remove = new Set([target.id, ids.jose, ids.dataIntegrity]);
  for (const relationship of RELATIONSHIPS) {
    const list = copy[relationship];
    if (list) copy[relationship] = list.filter((entry) => !remove.has(typeof entry === 'string' ? entry : entry.id));
  }
  return copy;
}
